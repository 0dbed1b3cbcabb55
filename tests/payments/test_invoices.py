"""Invoices and credit notes: their numbers, their lifecycle and their PDF."""

import pytest
from django.core import mail

from core.models import OutboundEmail
from payments.exceptions import PaymentError
from payments.models import Charge, Invoice, InvoiceSequence
from payments.pdf import invoice_pdf
from payments.services import charge_waive, invoice_cancel, invoice_mark_paid
from tests.factories import AgencyFactory

from .finance_records import invoice_of, invoiced_fee, invoiced_place, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def nursery():
    return AgencyFactory(name="Northgate Nursery")


def _last(kind):
    return InvoiceSequence.objects.get_or_create(name=kind)[0].last_number


def test_invoices_are_numbered_one_after_another(nursery):
    before = _last(Invoice.Kind.INVOICE)

    numbers = [invoice_of(invoiced_place(agency=nursery)).number for _ in range(3)]

    assert numbers == [before + 1, before + 2, before + 3]
    assert invoice_of(invoiced_place(agency=nursery)).reference == f"INV-{before + 4:06d}"


def test_credit_notes_have_their_own_numbers(nursery):
    first, second = invoiced_place(agency=nursery), invoiced_place(agency=nursery)
    invoices_before, credits_before = _last(Invoice.Kind.INVOICE), _last(Invoice.Kind.CREDIT_NOTE)

    credit = invoice_cancel(invoice=invoice_of(first))
    invoice_cancel(invoice=invoice_of(second))

    assert credit.number == credits_before + 1
    assert credit.reference == f"CN-{credits_before + 1:06d}"
    assert _last(Invoice.Kind.CREDIT_NOTE) == credits_before + 2
    assert _last(Invoice.Kind.INVOICE) == invoices_before  # cancelling takes no invoice number


def test_cancelling_an_invoice_issues_a_credit_note_for_all_of_it(nursery):
    charge = invoiced_place(agency=nursery, price_pence=5000)
    invoice = invoice_of(charge)

    credit = invoice_cancel(invoice=invoice)

    invoice.refresh_from_db()
    charge.refresh_from_db()
    assert invoice.status == Invoice.Status.CANCELLED
    assert credit.kind == Invoice.Kind.CREDIT_NOTE
    assert credit.credits == invoice
    assert credit.total_pence == -5000
    assert [line.amount_pence for line in credit.lines.all()] == [-5000]
    assert charge.status == Charge.Status.CREDITED


def test_an_invoice_cannot_be_cancelled_twice(nursery):
    invoice = invoice_of(invoiced_place(agency=nursery))
    invoice_cancel(invoice=invoice)

    with pytest.raises(PaymentError):
        invoice_cancel(invoice=invoice)

    assert Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE, credits=invoice).count() == 1


def test_marking_an_invoice_paid_marks_its_charges_paid(nursery, administrator):
    charge = invoiced_place(agency=nursery)

    invoice = invoice_mark_paid(invoice=invoice_of(charge), by=administrator)

    charge.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert invoice.paid_at is not None
    assert charge.status == Charge.Status.PAID


def test_a_cancelled_invoice_cannot_be_marked_paid(nursery, administrator):
    charge = invoiced_place(agency=nursery)
    invoice = invoice_of(charge)
    invoice_cancel(invoice=invoice)

    with pytest.raises(PaymentError, match="cancelled"):
        invoice_mark_paid(invoice=invoice, by=administrator)

    charge.refresh_from_db()
    assert charge.status == Charge.Status.CREDITED


def test_waiving_a_fee_records_the_reason_and_credits_its_invoice(nursery, administrator):
    fee = invoiced_fee(agency=nursery, fee_pence=2500)
    invoice = invoice_of(fee)

    charge_waive(charge=fee, by=administrator, reason="Delegate was admitted to hospital")

    fee.refresh_from_db()
    invoice.refresh_from_db()
    assert fee.status == Charge.Status.WAIVED
    assert fee.waived_reason == "Delegate was admitted to hospital"
    assert fee.waived_by == administrator
    assert invoice.status == Invoice.Status.CANCELLED
    assert invoice.credit_note.total_pence == -2500


def test_a_fee_is_not_waived_without_a_reason(nursery, administrator):
    fee = invoiced_fee(agency=nursery)

    with pytest.raises(PaymentError, match="reason"):
        charge_waive(charge=fee, by=administrator, reason="   ")

    fee.refresh_from_db()
    assert fee.status == Charge.Status.INVOICED


def test_the_invoice_pdf_names_the_partnership_the_buyer_the_order_and_the_total(nursery, settings):
    invoice = invoice_of(invoiced_place(agency=nursery, price_pence=5000, purchase_order="PO-4411"))

    data = invoice_pdf(invoice)
    text = pdf_text(data)

    assert data.startswith(b"%PDF")
    assert settings.PARTNERSHIP_NAME in text
    assert "1 Civic Way" in text
    assert "Northgate Nursery" in text
    assert "Purchase order: PO-4411" in text
    assert invoice.reference in text
    assert "£50.00" in text
    assert f"Payment terms: {settings.INVOICE_PAYMENT_TERMS_DAYS} days" in text


def test_the_invoice_is_e_mailed_to_the_billing_contact_as_a_pdf(nursery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = invoice_of(invoiced_place(agency=nursery))

    (message,) = mail.outbox
    assert message.to == ["accounts@example.org"]
    assert invoice.reference in message.subject
    ((name, content, mimetype),) = message.attachments
    assert (name, mimetype) == (f"{invoice.reference}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")


def test_the_invoice_e_mail_is_recorded_with_the_booking_and_its_pdf_drawn_only_when_sent(
    nursery, monkeypatch, django_capture_on_commit_callbacks
):
    drawn = []
    monkeypatch.setattr("payments.emails.invoice_pdf", lambda invoice: drawn.append(invoice.pk) or b"%PDF-1.4 spy")
    with django_capture_on_commit_callbacks(execute=True):
        invoice = invoice_of(invoiced_place(agency=nursery))
        # Recorded in the booking's transaction, so it cannot be lost; nothing drawn while its locks are held.
        (email,) = OutboundEmail.objects.all()
        assert (email.attachment_source, email.attachment_content, drawn) == (f"invoice:{invoice.pk}", "", [])

    assert drawn == [invoice.pk]
    (message,) = mail.outbox
    assert message.attachments == [(f"{invoice.reference}.pdf", b"%PDF-1.4 spy", "application/pdf")]
