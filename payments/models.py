"""Charging non-contributing agencies: bands, charges, card payments, invoices
and refunds. Money is held in pence (integers), currency GBP."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.models import CourseFormat


class ChargingBand(models.Model):
    """What an agency pays: a price per course format and a late-cancellation /
    no-show fee per format. Contributing partners sit in a free band."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    invoicing_allowed = models.BooleanField(
        _("organisations may ask for an invoice"),
        default=True,
        help_text=_("If not, delegates in this band pay by card when they book."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class BandRate(models.Model):
    band = models.ForeignKey(ChargingBand, on_delete=models.CASCADE, related_name="rates")
    format = models.CharField(max_length=20, choices=CourseFormat.choices)
    price_pence = models.PositiveIntegerField(_("price per place (pence)"), default=0)
    fee_pence = models.PositiveIntegerField(_("late-cancellation or no-show fee (pence)"), default=0)

    class Meta:
        ordering = ["band", "format"]
        constraints = [models.UniqueConstraint(fields=["band", "format"], name="one_rate_per_band_format")]

    def __str__(self):
        return f"{self.band}: {self.get_format_display()}"


class Charge(models.Model):
    """Money a booking owes: the place itself, or a late-cancellation or no-show fee."""

    class Kind(models.TextChoices):
        PLACE = "place", _("Place")
        LATE_CANCELLATION = "late_cancellation", _("Late-cancellation fee")
        NO_SHOW = "no_show", _("No-show fee")

    class Method(models.TextChoices):
        CARD = "card", _("Card")
        INVOICE = "invoice", _("Invoice")

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting card payment")
        INVOICED = "invoiced", _("Invoiced")
        PAID = "paid", _("Paid")
        WAIVED = "waived", _("Waived")
        REFUNDED = "refunded", _("Refunded")
        CREDITED = "credited", _("Credited")
        VOID = "void", _("Void")

    booking = models.ForeignKey("bookings.Booking", on_delete=models.PROTECT, related_name="charges")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    method = models.CharField(max_length=10, choices=Method.choices)
    amount_pence = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    waived_reason = models.CharField(max_length=300, blank=True)
    waived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind"], condition=~Q(status="void"), name="one_live_charge_per_booking_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} £{self.amount_pence / 100:.2f} ({self.get_status_display()})"


class Payment(models.Model):
    """One card payment attempt through a Stripe PaymentIntent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="payments")
    amount_pence = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="gbp")
    stripe_payment_intent_id = models.CharField(max_length=100, unique=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.stripe_payment_intent_id} ({self.get_status_display()})"


class Refund(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="refund")
    amount_pence = models.PositiveIntegerField()
    reason = models.CharField(max_length=300)
    stripe_refund_id = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Refund of {self.payment} ({self.get_status_display()})"


class StripeEvent(models.Model):
    """Each webhook event is recorded once; a second delivery is acknowledged and ignored."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.event_id


class InvoiceSequence(models.Model):
    """The last number used for invoices or credit notes. Numbers are taken by
    locking this row inside the transaction that creates the document, so they
    never repeat or skip: a rolled-back document gives its number back."""

    name = models.CharField(max_length=20, primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.name}: {self.last_number}"


class Invoice(models.Model):
    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INVOICE)
    number = models.PositiveIntegerField()
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    buyer_name = models.CharField(max_length=200)
    billing_contact_name = models.CharField(max_length=200, blank=True)
    billing_contact_email = models.EmailField()
    purchase_order = models.CharField(max_length=100, blank=True)
    issued_at = models.DateTimeField()
    due_on = models.DateField()
    total_pence = models.IntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ISSUED)
    paid_at = models.DateTimeField(null=True, blank=True)
    credits = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_note")

    class Meta:
        ordering = ["-issued_at", "-number"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="one_invoice_number_per_kind")]

    def __str__(self):
        return self.reference

    @property
    def reference(self):
        prefix = "CN" if self.kind == self.Kind.CREDIT_NOTE else "INV"
        return f"{prefix}-{self.number:06d}"


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="invoice_lines")
    description = models.CharField(max_length=300)
    amount_pence = models.IntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.description
