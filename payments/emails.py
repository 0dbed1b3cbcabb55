from django.conf import settings
from django.template.loader import render_to_string

from core.money import pounds
from core.services import email_enqueue

from .pdf import invoice_pdf


def invoice_issued(invoice):
    """The invoice or credit note, as a PDF, to the billing contact."""
    text = render_to_string(
        "payments/email/invoice.txt",
        {"invoice": invoice, "total": pounds(invoice.total_pence), "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME},
    )
    subject, _, body = text.strip().partition("\n")
    email_enqueue(
        subject=subject.strip(),
        body=body.strip() + "\n",
        to=[invoice.billing_contact_email],
        attachment=(f"{invoice.reference}.pdf", invoice_pdf(invoice), "application/pdf"),
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
