from django.conf import settings
from django.template.loader import render_to_string

from core.attachments import attachment_source
from core.money import pounds
from core.services import email_enqueue

from .models import Invoice
from .pdf import invoice_pdf


def invoice_issued(invoice):
    """The invoice or credit note to the billing contact. The e-mail is recorded
    with the change that issued it; its PDF is drawn when it is sent, so never
    while the booking's or register's locks are held, and a PDF that cannot be
    drawn never undoes the booking or register that raised it."""
    text = render_to_string(
        "payments/email/invoice.txt",
        {"invoice": invoice, "total": pounds(invoice.total_pence), "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME},
    )
    subject, _, body = text.strip().partition("\n")
    email_enqueue(
        subject=subject.strip(),
        body=body.strip() + "\n",
        to=[invoice.billing_contact_email],
        attachment_source=attachment_source(INVOICE_ATTACHMENT, invoice.pk),
    )


INVOICE_ATTACHMENT = "invoice"


def invoice_attachment(invoice_id: str):
    """The invoice's PDF, drawn as its e-mail is sent (registered in PaymentsConfig.ready)."""
    invoice = Invoice.objects.select_related("credits").get(pk=int(invoice_id))
    return f"{invoice.reference}.pdf", invoice_pdf(invoice), "application/pdf"


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
