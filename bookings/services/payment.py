"""A booking's card payment: the outcome Stripe reports, and holds that lapse."""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from payments import stripe_client
from payments.emails import payment_receipt
from payments.models import Charge, Payment
from payments.services import (
    card_payment_is_duplicate,
    card_payment_record_result,
    card_payment_start,
    place_charge_void,
    refund_issue,
    stripe_event_record,
)

from .. import emails
from ..exceptions import BookingStateError
from ..models import Booking
from ._common import booking_lock, places_free, status_change
from .waitlist import waitlist_offer_next

logger = logging.getLogger(__name__)


def booking_payment_start(*, booking: Booking, now: dt.datetime | None = None) -> tuple[Payment, str]:
    """Open (or reopen) the card payment for a held place, while the hold lasts.
    Returns the payment and the client secret for the payment page."""
    now = now or timezone.now()
    if booking.status == Booking.Status.CONFIRMED:
        raise BookingStateError(_("This place is already confirmed, so there is nothing to pay."))
    if booking.status != Booking.Status.PAYMENT_PENDING:
        raise BookingStateError(_("This booking is %(status)s, so there is nothing to pay.")
                                % {"status": booking.get_status_display().lower()})
    if booking.hold_expires_at is None or booking.hold_expires_at <= now:
        raise BookingStateError(_("The time to pay for this place ran out at %(time)s. Book again if places are left.")
                                % {"time": timezone.localtime(booking.hold_expires_at or now).strftime("%H:%M")})
    charge = Charge.objects.filter(booking=booking, kind=Charge.Kind.PLACE,
                                   status=Charge.Status.AWAITING_PAYMENT).first()
    if charge is None:
        raise BookingStateError(_("There is no card payment waiting for this booking."))
    return card_payment_start(charge=charge)


@transaction.atomic
def booking_payment_result(*, intent) -> Booking | None:
    """Act on a PaymentIntent re-fetched from Stripe (from the webhook or the
    page the payer returns to; either may come first, or twice). A payment that
    succeeds confirms the held place; one that arrives after the hold lapsed
    takes a place still free, or is refunded: never a place without payment,
    nor payment without a place."""
    booking_id = str(stripe_client.metadata_of(intent).get("booking_id", ""))
    if not booking_id.isdigit() or not Booking.objects.filter(pk=booking_id).exists():
        logger.warning("PaymentIntent %s names no booking we know (%r); ignored", intent.id, booking_id)
        return None
    booking = booking_lock(int(booking_id))
    payment = card_payment_record_result(intent=intent)
    if payment.status != Payment.Status.SUCCEEDED:
        return booking
    if card_payment_is_duplicate(payment=payment):
        if not hasattr(payment, "refund"):
            logger.warning("Payment %s paid for booking %s a second time: refunding", intent.id, booking.pk)
            refund_issue(payment=payment, reason="paid twice for the same place")
        return booking
    if booking.status == Booking.Status.PAYMENT_PENDING:
        status_change(booking, Booking.Status.CONFIRMED, note="paid by card", hold_expires_at=None)
        emails.booking_confirmed(booking)
        payment_receipt(payment)
    elif booking.status == Booking.Status.PAYMENT_EXPIRED and places_free(booking.session) > 0 \
            and booking.session.start > timezone.now() and not booking.session.is_cancelled:
        status_change(booking, Booking.Status.CONFIRMED, note="paid by card after the hold lapsed; a place was free")
        emails.booking_confirmed(booking)
        payment_receipt(payment)
    elif booking.status != Booking.Status.CONFIRMED and not hasattr(payment, "refund"):
        logger.warning("Payment %s arrived for booking %s (%s) with no place: refunding",
                       intent.id, booking.pk, booking.status)
        refund_issue(payment=payment, reason="paid after the place had gone")
    return booking


def booking_payment_event(*, event_id: str, event_type: str, intent) -> str:
    """Act once on a Stripe webhook event, given the PaymentIntent it names as
    re-fetched from Stripe (None: no intent to act on). The event is recorded in
    the same transaction as what it does, so a concurrent second delivery finds
    it recorded. Returns "duplicate", "ignored", "refused" or "processed"."""
    with transaction.atomic():
        if not stripe_event_record(event_id=event_id, event_type=event_type):
            return "duplicate"
        if intent is None:
            return "ignored"
        try:
            booking = booking_payment_result(intent=intent)
        except DomainError as error:
            # Acknowledged (the event stays recorded): another delivery would
            # be refused the same way. The log is where finance looks.
            logger.error("Stripe event %s: PaymentIntent %s not accepted: %s", event_id, intent.id, error.message)
            return "refused"
    return "processed" if booking is not None else "ignored"


def booking_payment_check(*, booking: Booking, payment_intent_id: str) -> Booking:
    """The payer's return page: re-fetch the intent, which must belong to this booking."""
    payment = Payment.objects.filter(stripe_payment_intent_id=payment_intent_id).select_related("charge").first()
    if payment is not None and payment.charge.booking_id != booking.pk:
        raise BookingStateError(_("That payment belongs to another booking."))
    intent = stripe_client.payment_intent_retrieve(payment_intent_id)
    if str(stripe_client.metadata_of(intent).get("booking_id")) != str(booking.pk):
        raise BookingStateError(_("That payment belongs to another booking."))
    booking_payment_result(intent=intent)
    booking.refresh_from_db()
    return booking


def booking_payment_holds_expire(*, now: dt.datetime | None = None) -> int:
    """Release card holds not paid in time; the places go to the waiting list.
    Their open PaymentIntents are cancelled at Stripe afterwards."""
    now = now or timezone.now()
    expired = []
    for booking_id in Booking.objects.filter(status=Booking.Status.PAYMENT_PENDING,
                                             hold_expires_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            booking = booking_lock(booking_id)
            if booking.status != Booking.Status.PAYMENT_PENDING or booking.hold_expires_at > now:
                continue
            status_change(booking, Booking.Status.PAYMENT_EXPIRED, note="not paid in time", hold_expires_at=None)
            place_charge_void(booking=booking)
            emails.booking_payment_expired(booking)
            waitlist_offer_next(booking.session, now=now)
            expired.append(booking.pk)
    for intent_id in Payment.objects.filter(charge__booking_id__in=expired, status=Payment.Status.PENDING) \
            .values_list("stripe_payment_intent_id", flat=True):
        try:
            stripe_client.payment_intent_cancel(intent_id)
        except Exception:  # a late success is handled by booking_payment_result
            logger.exception("Could not cancel PaymentIntent %s", intent_id)
    return len(expired)


def booking_payments_reconcile(*, now: dt.datetime | None = None) -> int:
    """Repair card payments whose webhook never arrived: ask Stripe about each
    payment still pending PAYMENT_RECONCILE_AFTER_MINUTES after it began and act
    on the answer exactly as the webhook would (booking_payment_result, so a
    webhook arriving later changes nothing). An intent still open after its
    hold lapsed is cancelled at Stripe, as the hold's expiry would have done.
    Returns how many payments were settled."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.PAYMENT_RECONCILE_AFTER_MINUTES)
    pending = Payment.objects.filter(status=Payment.Status.PENDING, created_at__lte=cutoff).select_related(
        "charge__booking"
    )
    settled = 0
    for payment in pending.order_by("created_at")[:100]:
        try:
            intent = stripe_client.payment_intent_retrieve(payment.stripe_payment_intent_id)
            if intent.status not in ("succeeded", "canceled", "processing") and (
                payment.charge.booking.status != Booking.Status.PAYMENT_PENDING
            ):
                intent = stripe_client.payment_intent_cancel(intent.id)
        except stripe_client.StripeError:
            # Stripe is unreachable or refused: the next run asks again.
            logger.warning("Could not reconcile PaymentIntent %s", payment.stripe_payment_intent_id, exc_info=True)
            continue
        if intent.status not in ("succeeded", "canceled"):
            continue
        try:
            booking_payment_result(intent=intent)
        except DomainError as error:
            logger.error("PaymentIntent %s not accepted on reconciling: %s", intent.id, error.message)
            continue
        settled += 1
    return settled
