"""Card payments through Stripe PaymentIntents, and refunds.

Stripe is called outside database transactions (a slow network must never hold
a lock); what Stripe says is recorded afterwards, and every result is checked
against our own charge before it counts."""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record
from core.jobs import task_enqueue
from core.money import pounds

from .. import stripe_client
from ..exceptions import PaymentError
from ..models import Charge, Payment, Refund, StripeEvent

logger = logging.getLogger(__name__)


def card_payment_start(*, charge: Charge) -> tuple[Payment, str]:
    """A PaymentIntent for a charge awaiting card payment, reusing the open one
    if there is one. Returns the payment and the client secret for the page."""
    if charge.status != Charge.Status.AWAITING_PAYMENT:
        raise PaymentError(_("This place is not waiting for a card payment."))
    open_payment = charge.payments.filter(status=Payment.Status.PENDING).order_by("-created_at").first()
    if open_payment is not None:
        intent = stripe_client.payment_intent_retrieve(open_payment.stripe_payment_intent_id)
        if intent.status in ("succeeded", "processing"):
            # Paid, and not yet heard of: a second intent would take the money twice.
            raise PaymentError(_("We have your payment and are confirming your place. This takes a minute at most."))
        if intent.status != "canceled" and intent.amount == charge.amount_pence:
            return open_payment, intent.client_secret
    attempt = charge.payments.count() + 1
    key = f"charge-{charge.pk}-attempt-{attempt}"
    intent = stripe_client.payment_intent_create(
        amount_pence=charge.amount_pence,
        metadata={"booking_id": charge.booking_id, "charge_id": charge.pk, "site": settings.SITE_URL},
        idempotency_key=key,
    )
    payment, _created = Payment.objects.get_or_create(
        stripe_payment_intent_id=intent.id,
        defaults={"charge": charge, "amount_pence": charge.amount_pence, "idempotency_key": key},
    )
    return payment, intent.client_secret


def card_payment_record_result(*, intent) -> Payment:
    """Record what Stripe says of a PaymentIntent (re-fetched by the caller).
    Runs inside the caller's transaction. The intent must be for our charge,
    for its exact amount in pounds; an intent we have no row for yet (its
    webhook overtook our own commit) is matched through its metadata."""
    payment = (
        Payment.objects.select_for_update().select_related("charge").filter(stripe_payment_intent_id=intent.id).first()
    )
    metadata = stripe_client.metadata_of(intent)
    charge_id = metadata.get("charge_id")
    if payment is None:
        # Every install sharing a Stripe account hears every event: an intent we
        # never recorded counts only if it names this site.
        if metadata.get("site") != settings.SITE_URL:
            raise PaymentError(_("This payment was made on another site."))
        charge = Charge.objects.select_for_update().filter(pk=charge_id).first() if str(charge_id).isdigit() else None
        if charge is None:
            raise PaymentError(_("This payment is for no booking we know of."))
        payment = Payment.objects.create(
            charge=charge,
            amount_pence=intent.amount,
            stripe_payment_intent_id=intent.id,
            idempotency_key=f"recovered-{intent.id}",
        )
    charge = payment.charge
    if str(charge.pk) != str(charge_id) or str(charge.booking_id) != str(metadata.get("booking_id")):
        raise PaymentError(_("This payment belongs to another booking."))
    if intent.amount != charge.amount_pence or intent.currency != "gbp":
        raise PaymentError(_("The amount paid does not match the price of the place."))
    if intent.status == "succeeded" and payment.status != Payment.Status.SUCCEEDED:
        payment.status = Payment.Status.SUCCEEDED
        payment.succeeded_at = timezone.now()
        payment.save(update_fields=["status", "succeeded_at"])
        if charge.status in (Charge.Status.AWAITING_PAYMENT, Charge.Status.VOID):
            charge.status = Charge.Status.PAID
            charge.save(update_fields=["status"])
    elif intent.status == "canceled" and payment.status == Payment.Status.PENDING:
        payment.status = Payment.Status.CANCELLED
        payment.save(update_fields=["status"])
    return payment


def card_payment_is_duplicate(*, payment: Payment) -> bool:
    """Has the charge already been paid by another card payment that stands
    (e.g. the payer paid again before the first payment was heard of)?"""
    return (
        Payment.objects.filter(charge_id=payment.charge_id, status=Payment.Status.SUCCEEDED, refund__isnull=True)
        .exclude(pk=payment.pk)
        .exists()
    )


def refund_issue(*, payment: Payment, reason: str, by=None) -> Refund:
    """Refund a card payment in full (inside the caller's transaction); Stripe is
    asked after commit. A payment is refunded at most once; the charge counts as
    refunded unless another payment for it stands. `by` is who caused it (None:
    the site, e.g. a payment made twice), for the audit log."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != Payment.Status.SUCCEEDED:
        raise PaymentError(_("Only a payment that went through can be refunded."))
    if Refund.objects.filter(payment=payment).exists():
        raise PaymentError(_("This payment has already been refunded."))
    duplicate = card_payment_is_duplicate(payment=payment)
    refund = Refund.objects.create(payment=payment, amount_pence=payment.amount_pence, reason=reason[:300])
    audit_record(
        actor=by, action=AuditEntry.Action.REFUND_ISSUED, target=payment.charge,
        before={_("Refunded"): pounds(0)}, after={_("Refunded"): pounds(refund.amount_pence)}, note=refund.reason,
    )
    if not duplicate:
        Charge.objects.filter(pk=payment.charge_id).update(status=Charge.Status.REFUNDED)
    transaction.on_commit(lambda: _queue_refund(refund.pk))
    return refund


def _queue_refund(refund_id):
    from ..tasks import refund_send as refund_send_task

    # Should the broker be down, the reconciliation job sends it later.
    task_enqueue(refund_send_task, refund_id)


def refund_send(*, refund_id: int) -> Refund:
    """Ask Stripe for the refund. The idempotency key makes a retry safe."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status == Refund.Status.SUCCEEDED:
        return refund
    result = stripe_client.refund_create(
        payment_intent_id=refund.payment.stripe_payment_intent_id,
        amount_pence=refund.amount_pence,
        idempotency_key=f"refund-{refund.pk}",
    )
    Refund.objects.filter(pk=refund.pk).update(stripe_refund_id=result.id, status=Refund.Status.SUCCEEDED)
    refund.refresh_from_db()
    return refund


def refunds_pending_send(*, now=None) -> int:
    """Send refunds still pending PAYMENT_RECONCILE_AFTER_MINUTES after they were
    issued (never queued, or out of retries). Returns how many went through."""
    cutoff = (now or timezone.now()) - dt.timedelta(minutes=settings.PAYMENT_RECONCILE_AFTER_MINUTES)
    sent = 0
    for refund_id in Refund.objects.filter(status=Refund.Status.PENDING, created_at__lte=cutoff).values_list(
        "pk", flat=True
    )[:100]:
        try:
            refund_send(refund_id=refund_id)
        except stripe_client.StripeError:
            logger.warning("Could not send refund %s; the next run tries again", refund_id, exc_info=True)
            continue
        sent += 1
    return sent


def stripe_event_record(*, event_id: str, event_type: str) -> bool:
    """Record a Stripe webhook event as received; False when it was already
    recorded (a second delivery). Call inside the transaction that acts on it."""
    _event, created = StripeEvent.objects.get_or_create(event_id=event_id, defaults={"type": event_type[:100]})
    return created
