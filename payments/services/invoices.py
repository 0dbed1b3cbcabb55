"""Invoices and credit notes with gapless sequential numbers."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record
from core.money import pounds

from ..emails import invoice_issued
from ..exceptions import PaymentError
from ..models import Charge, Invoice, InvoiceLine, InvoiceSequence


def _next_number(kind: str) -> int:
    """Take the next number for invoices or credit notes. The sequence row is
    locked until the caller's transaction ends, so concurrent invoices queue
    here and numbers neither repeat nor skip."""
    InvoiceSequence.objects.get_or_create(name=kind)
    sequence = InvoiceSequence.objects.select_for_update().get(name=kind)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _line_description(charge: Charge) -> str:
    booking = charge.booking
    session = booking.session
    when = timezone.localtime(session.start).strftime("%-d %B %Y")
    return f"{charge.get_kind_display()}: {session.course.title}, {when} – {booking.user.get_full_name()}"


@transaction.atomic
def invoice_issue(*, charges: list[Charge]) -> Invoice:
    """Invoice one organisation for charges (usually one place or fee). The
    invoice is e-mailed to the booking's billing contact once this commits."""
    first = charges[0].booking
    # The agency the place was booked for, not the delegate's agency today.
    agency = first.agency_at_booking
    email = first.billing_contact_email or first.user.line_manager_email or first.user.email
    now = timezone.now()
    invoice = Invoice.objects.create(
        kind=Invoice.Kind.INVOICE,
        number=_next_number(Invoice.Kind.INVOICE),
        agency=agency,
        buyer_name=agency.name if agency else first.user.get_full_name(),
        billing_contact_name=first.billing_contact_name,
        billing_contact_email=email,
        purchase_order=first.purchase_order,
        issued_at=now,
        due_on=timezone.localdate(now) + dt.timedelta(days=settings.INVOICE_PAYMENT_TERMS_DAYS),
        total_pence=sum(charge.amount_pence for charge in charges),
    )
    for charge in charges:
        InvoiceLine.objects.create(
            invoice=invoice, charge=charge, description=_line_description(charge), amount_pence=charge.amount_pence
        )
        charge.status = Charge.Status.INVOICED
        charge.save(update_fields=["status"])
    invoice_issued(invoice)
    return invoice


@transaction.atomic
def invoice_mark_paid(*, invoice: Invoice, by) -> Invoice:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.kind != Invoice.Kind.INVOICE or invoice.status != Invoice.Status.ISSUED:
        raise PaymentError(
            _("Only an issued invoice can be marked paid (this one is %(status)s).")
            % {"status": invoice.get_status_display().lower()}
        )
    before = invoice.get_status_display()
    invoice.status = Invoice.Status.PAID
    invoice.paid_at = timezone.now()
    invoice.save(update_fields=["status", "paid_at"])
    audit_record(
        actor=by, action=AuditEntry.Action.INVOICE_MARKED_PAID, target=invoice,
        before={_("Status"): before}, after={_("Status"): invoice.get_status_display()},
    )
    Charge.objects.filter(invoice_lines__invoice=invoice, status=Charge.Status.INVOICED).update(
        status=Charge.Status.PAID
    )
    return invoice


@transaction.atomic
def invoice_cancel(*, invoice: Invoice, by=None, charge_status: str = Charge.Status.CREDITED) -> Invoice:
    """Cancel an invoice with a credit note for its whole amount; the charges it
    billed are credited (or waived, when a fee is waived). A credit note on a
    paid invoice tells finance to repay the organisation."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.kind != Invoice.Kind.INVOICE or invoice.status == Invoice.Status.CANCELLED:
        raise PaymentError(
            _("Only an issued or paid invoice can be credited (this one is %(status)s).")
            % {"status": invoice.get_status_display().lower()}
        )
    credit = Invoice.objects.create(
        kind=Invoice.Kind.CREDIT_NOTE,
        number=_next_number(Invoice.Kind.CREDIT_NOTE),
        agency=invoice.agency,
        buyer_name=invoice.buyer_name,
        billing_contact_name=invoice.billing_contact_name,
        billing_contact_email=invoice.billing_contact_email,
        purchase_order=invoice.purchase_order,
        issued_at=timezone.now(),
        due_on=timezone.localdate(),
        total_pence=-invoice.total_pence,
        status=Invoice.Status.PAID,
        credits=invoice,
    )
    for line in invoice.lines.select_related("charge"):
        InvoiceLine.objects.create(
            invoice=credit,
            charge=line.charge,
            description=f"Credit: {line.description}",
            amount_pence=-line.amount_pence,
        )
        line.charge.status = charge_status
        line.charge.save(update_fields=["status"])
    before = invoice.get_status_display()
    invoice.status = Invoice.Status.CANCELLED
    invoice.save(update_fields=["status"])
    audit_record(
        actor=by, action=AuditEntry.Action.INVOICE_CANCELLED, target=invoice,
        before={_("Status"): before}, after={_("Status"): invoice.get_status_display()},
        note=_("Credit note %(credit)s for %(amount)s")
        % {"credit": credit.reference, "amount": pounds(credit.total_pence)},
    )
    invoice_issued(credit)
    return credit
