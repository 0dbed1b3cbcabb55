import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from core.money import pounds
from core.services import email_enqueue

from .models import Invoice
from .pdf import invoice_pdf

logger = logging.getLogger(__name__)


def invoice_issued(invoice):
    """The invoice or credit note, as a PDF, to the billing contact, once the
    transaction that issued it commits. The PDF is drawn after the commit, so
    never while the booking's or register's locks are held, and a PDF that
    cannot be drawn never undoes the booking or register that raised it."""
    transaction.on_commit(partial(_invoice_send, invoice.pk))


def _invoice_send(invoice_id):
    invoice = Invoice.objects.select_related("credits").get(pk=invoice_id)
    try:
        pdf = invoice_pdf(invoice)
    except Exception:
        # The invoice stands; finance can see it and download it. The id, not
        # the buyer: log lines outlive personal data.
        logger.exception("Invoice %s could not be drawn as a PDF, so it was not e-mailed", invoice_id)
        return
    text = render_to_string(
        "payments/email/invoice.txt",
        {"invoice": invoice, "total": pounds(invoice.total_pence), "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME},
    )
    subject, _, body = text.strip().partition("\n")
    email_enqueue(
        subject=subject.strip(),
        body=body.strip() + "\n",
        to=[invoice.billing_contact_email],
        attachment=(f"{invoice.reference}.pdf", pdf, "application/pdf"),
    )


def payment_receipt(payment):
    booking = payment.charge.booking
    text = render_to_string(
        "payments/email/receipt.txt",
        {
            "payment": payment,
            "booking": booking,
            "amount": pounds(payment.amount_pence),
            "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
        },
    )
    subject, _, body = text.strip().partition("\n")
    email_enqueue(subject=subject.strip(), body=body.strip() + "\n", to=[booking.user.email])
