"""Builders for charges in each state finance reports on. Places and fees go
through the payment services, as bookings' services would call them; a card
payment's outcome (which needs Stripe) is written as its end state."""

import datetime as dt
import io

from pypdf import PdfReader

from payments.models import Charge, Invoice
from payments.services import charge_open, fee_charge
from tests.dates import at
from tests.factories import BookingFactory, SessionFactory, UserFactory


def booking_for(*, agency, session=None, price_pence=5000, fee_pence=2500, **kwargs):
    return BookingFactory(
        session=session or SessionFactory(),
        user=UserFactory(agency=agency),
        price_pence=price_pence,
        fee_pence=fee_pence,
        payment_method=kwargs.pop("payment_method", "invoice"),
        purchase_order=kwargs.pop("purchase_order", "PO-1001"),
        billing_contact_name="Pat Payables",
        billing_contact_email="accounts@example.org",
        **kwargs,
    )


def invoiced_place(*, agency, session=None, price_pence=5000, **kwargs) -> Charge:
    """A place invoiced to the organisation (an invoice is issued with it)."""
    booking = booking_for(agency=agency, session=session, price_pence=price_pence, **kwargs)
    return charge_open(booking=booking, method=Charge.Method.INVOICE)


def invoiced_fee(*, agency, session=None, fee_pence=2500, kind=Charge.Kind.NO_SHOW) -> Charge:
    booking = booking_for(agency=agency, session=session, price_pence=0, fee_pence=fee_pence)
    return fee_charge(booking=booking, kind=kind)


def card_charge(*, agency, session=None, price_pence=4000, status=Charge.Status.PAID) -> Charge:
    booking = booking_for(agency=agency, session=session, price_pence=price_pence, payment_method="card")
    return Charge.objects.create(
        booking=booking, kind=Charge.Kind.PLACE, method=Charge.Method.CARD, amount_pence=price_pence, status=status
    )


def invoice_of(charge: Charge) -> Invoice:
    return Invoice.objects.get(kind=Invoice.Kind.INVOICE, lines__charge=charge)


def session_on(day: dt.date, **kwargs):
    start = at(day)
    return SessionFactory(start=start, end=start + dt.timedelta(hours=3), **kwargs)


def pdf_text(data: bytes) -> str:
    """The text drawn on a PDF's pages, read back with pypdf (the site embeds
    its fonts as subsets, so the strings in the file are glyph numbers), with
    runs of white space as one space: where a line wraps is the layout's business."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())
