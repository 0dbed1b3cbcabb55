"""Charges: the place a chargeable delegate pays for, and the late-cancellation
and no-show fees, with their settlement when things change."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record

from ..exceptions import PaymentError
from ..models import Charge, Invoice
from .card import refund_issue
from .invoices import invoice_cancel, invoice_issue


def charge_open(*, booking, method: str) -> Charge:
    """The charge for a booked place: awaiting card payment, or invoiced to the
    organisation at once. Runs inside the booking's transaction."""
    charge = Charge.objects.create(
        booking=booking,
        kind=Charge.Kind.PLACE,
        method=method,
        amount_pence=booking.price_pence,
        status=Charge.Status.AWAITING_PAYMENT if method == Charge.Method.CARD else Charge.Status.INVOICED,
    )
    if method == Charge.Method.INVOICE:
        invoice_issue(charges=[charge])
    return charge


def _live(booking, kind):
    return (
        Charge.objects.select_for_update().filter(booking=booking, kind=kind).exclude(status=Charge.Status.VOID).first()
    )


def place_charge_void(*, booking) -> None:
    """A card hold lapsed unpaid: nothing is owed."""
    Charge.objects.filter(booking=booking, kind=Charge.Kind.PLACE, status=Charge.Status.AWAITING_PAYMENT).update(
        status=Charge.Status.VOID
    )


def _give_back(charge: Charge, reason: str, by) -> None:
    if charge.status == Charge.Status.AWAITING_PAYMENT:
        charge.status = Charge.Status.VOID
        charge.save(update_fields=["status"])
    elif charge.status == Charge.Status.PAID and charge.method == Charge.Method.CARD:
        payment = charge.payments.filter(status="succeeded").first()
        if payment is not None:
            refund_issue(payment=payment, reason=reason, by=by)
    elif charge.status in (Charge.Status.INVOICED, Charge.Status.PAID):
        invoice = (
            Invoice.objects.filter(lines__charge=charge, kind=Invoice.Kind.INVOICE)
            .exclude(status=Invoice.Status.CANCELLED)
            .first()
        )
        if invoice is not None:
            invoice_cancel(invoice=invoice, by=by)


def charge_settle_on_cancel(*, booking, late: bool, reason: str, by=None) -> None:
    """Money when a place is given up. In time (or when the partnership cancels):
    card payments are refunded and invoices credited. Late: the price stands,
    and a place that cost nothing raises the late-cancellation fee instead.
    `by` is who gave the place up, for the audit log."""
    place = _live(booking, Charge.Kind.PLACE)
    if not late:
        if place is not None:
            _give_back(place, reason, by)
        return
    if place is None or place.status in (Charge.Status.AWAITING_PAYMENT,):
        if place is not None:
            _give_back(place, reason, by)
        fee_charge(booking=booking, kind=Charge.Kind.LATE_CANCELLATION)


def fee_charge(*, booking, kind: str) -> Charge | None:
    """Raise a late-cancellation or no-show fee (invoiced to the organisation),
    once, when the booking's band sets one."""
    if booking.fee_pence <= 0 or _live(booking, kind) is not None:
        return None
    charge = Charge.objects.create(
        booking=booking,
        kind=kind,
        method=Charge.Method.INVOICE,
        amount_pence=booking.fee_pence,
        status=Charge.Status.INVOICED,
    )
    invoice_issue(charges=[charge])
    return charge


@transaction.atomic
def charge_waive(*, charge: Charge, by, reason: str) -> Charge:
    """The business unit waives a fee (illness, emergency) with a recorded reason."""
    reason = reason.strip()
    if not reason:
        raise PaymentError(_("Give the reason for waiving the fee."))
    charge = Charge.objects.select_for_update().get(pk=charge.pk)
    if charge.kind == Charge.Kind.PLACE:
        raise PaymentError(_("Only late-cancellation and no-show fees can be waived."))
    if charge.status not in (Charge.Status.INVOICED,):
        raise PaymentError(
            _("This fee is %(status)s, so it cannot be waived.") % {"status": charge.get_status_display().lower()}
        )
    before = charge.get_status_display()
    invoice = Invoice.objects.filter(
        lines__charge=charge, kind=Invoice.Kind.INVOICE, status=Invoice.Status.ISSUED
    ).first()
    if invoice is not None:
        invoice_cancel(invoice=invoice, by=by, charge_status=Charge.Status.WAIVED)
    charge.refresh_from_db()
    charge.status = Charge.Status.WAIVED
    charge.waived_by = by
    charge.waived_reason = reason[:300]
    charge.waived_at = timezone.now()
    charge.save(update_fields=["status", "waived_by", "waived_reason", "waived_at"])
    audit_record(
        actor=by, action=AuditEntry.Action.FEE_WAIVED, target=charge,
        before={_("Status"): before}, after={_("Status"): charge.get_status_display()}, note=charge.waived_reason,
    )
    return charge
