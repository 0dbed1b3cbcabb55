"""Paying for a place by card (Stripe's Payment Element on our own page), the
page the payer comes back to, and Stripe's webhook."""

import logging
import math
import re
from functools import wraps
from urllib.parse import urlsplit

from csp.constants import SELF
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from bookings.models import Booking
from bookings.selectors import booking_for_user
from bookings.services import booking_payment_check, booking_payment_event, booking_payment_start
from core.exceptions import DomainError
from core.http import not_found_for

from . import selectors, stripe_client

logger = logging.getLogger(__name__)

PAYMENT_INTENT_ID = re.compile(r"pi_[A-Za-z0-9_]{1,100}")


def _own_booking(user, pk) -> Booking:
    """Only the delegate pays for their place, with their own card: to anyone
    else (the training team too) the payment pages of a booking do not exist."""
    booking = booking_for_user(user, pk)
    if booking.user_id != user.pk:
        raise not_found_for(user, "booking", booking.pk)
    return booking


# What Stripe.js and its Payment Element load, per Stripe's security guide.
STRIPE_CSP_SOURCES = {
    "script-src": ["https://js.stripe.com", "https://*.js.stripe.com"],
    "connect-src": [SELF, "https://api.stripe.com"],
    "frame-src": [SELF, "https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com"],
    "img-src": ["https://*.stripe.com"],
}


def stripe_csp_sources() -> dict:
    """Stripe's hosts, and the fake Stripe's address (STRIPE_API_BASE) when one
    stands in for it in development and the tests."""
    sources = {directive: list(hosts) for directive, hosts in STRIPE_CSP_SOURCES.items()}
    if settings.STRIPE_API_BASE:
        parts = urlsplit(settings.STRIPE_API_BASE)
        origin = f"{parts.scheme}://{parts.netloc}"
        sources["script-src"].append(origin)
        sources["connect-src"].append(origin)
    return sources


def stripe_csp(view):
    """Lets a page load Stripe.js: the site-wide Content-Security-Policy plus
    Stripe's hosts, on this view's responses only."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        sources = stripe_csp_sources()
        return csp_update(sources, REPORT_ONLY=True)(csp_update(sources)(view))(request, *args, **kwargs)

    return wrapped


@login_required
@require_safe
@stripe_csp
def booking_pay(request, pk):
    """The card form for a held place. The amount is our own record of the
    price; nothing the browser sends can change it."""
    booking = _own_booking(request.user, pk)
    try:
        payment, client_secret = booking_payment_start(booking=booking)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("bookings:detail", pk=booking.pk)
    except stripe_client.StripeError:
        logger.exception("Could not open a card payment for booking %s", booking.pk)
        messages.error(
            request,
            _("Card payments are not available just now. Try again in a few minutes: we are still holding your place."),
        )
        return redirect("bookings:detail", pk=booking.pk)
    seconds_left = (booking.hold_expires_at - timezone.now()).total_seconds()
    return render(
        request,
        "payments/booking_pay.html",
        {
            "booking": booking,
            "amount_pence": payment.amount_pence,
            "minutes_left": max(math.ceil(seconds_left / 60), 1),
            "client_secret": client_secret,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "return_url": request.build_absolute_uri(reverse("payments:pay_return", args=[booking.pk])),
            "stripe_js_url": settings.STRIPE_JS_URL,
            # localstripe's Stripe.js lacks confirmPayment(); the shim adds it (never loaded with real Stripe).
            "localstripe_shim": bool(settings.STRIPE_API_BASE),
        },
    )


@login_required
@require_safe
def booking_pay_return(request, pk):
    """Stripe sends the payer here (?payment_intent=pi_...) after the card step.
    The intent is fetched from Stripe again; the query string is only a hint."""
    booking = _own_booking(request.user, pk)
    intent_id = request.GET.get("payment_intent", "")
    if not PAYMENT_INTENT_ID.fullmatch(intent_id):
        messages.error(
            request,
            _(
                "We could not tell which payment this was. If you paid, we will confirm your place "
                "and e-mail you a receipt as soon as the card processor tells us."
            ),
        )
        return redirect("bookings:detail", pk=booking.pk)
    try:
        booking = booking_payment_check(booking=booking, payment_intent_id=intent_id)
    except DomainError as error:
        logger.warning("Return from payment %s for booking %s refused: %s", intent_id, booking.pk, error.message)
        messages.error(request, error.message)
        return redirect("bookings:detail", pk=booking.pk)
    except stripe_client.StripeError:
        logger.exception("Could not check payment %s for booking %s", intent_id, booking.pk)
        messages.error(
            request,
            _(
                "We could not check your payment just now. If it went through, we will confirm "
                "your place and e-mail you a receipt within a few minutes."
            ),
        )
        return redirect("bookings:detail", pk=booking.pk)
    if booking.status == Booking.Status.CONFIRMED:
        messages.success(request, _("Payment received – your place is confirmed"))
    elif booking.status == Booking.Status.PAYMENT_PENDING:
        messages.error(request, _("The payment has not gone through. You can try again while we hold your place."))
    elif booking.status == Booking.Status.PAYMENT_EXPIRED:
        messages.error(
            request,
            _(
                "The time to pay for this place ran out before your payment arrived, so the place "
                "was released. Any payment taken for it is refunded in full."
            ),
        )
    else:
        messages.error(
            request,
            _("This booking is %(status)s, so any payment taken for it is refunded in full.")
            % {"status": booking.get_status_display().lower()},
        )
    return redirect("bookings:detail", pk=booking.pk)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's signed events. Each event is acted on once; a PaymentIntent
    event is only a prompt to fetch the intent from Stripe again, so events may
    come late, twice or out of order and the outcome is the same."""
    try:
        event = stripe_client.webhook_event(request.body, request.headers.get("Stripe-Signature", ""))
    except (ValueError, stripe_client.SignatureVerificationError) as error:
        logger.warning("Refused a Stripe webhook without a valid signature: %s", error)
        return HttpResponse(status=400)
    event_id, event_type = getattr(event, "id", None), getattr(event, "type", None) or ""
    if not event_id:
        logger.warning("Refused a signed Stripe webhook that is not an event")
        return HttpResponse(status=400)
    if selectors.stripe_event_recorded(event_id):
        return JsonResponse({"status": "duplicate"})

    intent = None
    intent_id = getattr(getattr(getattr(event, "data", None), "object", None), "id", None)
    if event_type.startswith("payment_intent.") and intent_id:
        try:
            intent = stripe_client.payment_intent_retrieve(intent_id)
        except stripe_client.InvalidRequestError:
            # Stripe does not know the intent: asking again will not change that.
            logger.warning("Stripe event %s names PaymentIntent %s, which Stripe does not know", event_id, intent_id)
        except stripe_client.StripeError:
            # Stripe (or the network to it) failed us. The event is left
            # unrecorded and answered 503, so Stripe delivers it again later
            # (it retries for up to three days); recording it now would make
            # that retry look like a duplicate, and the payment would be lost.
            logger.warning(
                "Could not fetch PaymentIntent %s for Stripe event %s; Stripe will retry",
                intent_id,
                event_id,
                exc_info=True,
            )
            return HttpResponse(status=503)

    # The network call is over: record the event and act on it.
    return JsonResponse({"status": booking_payment_event(event_id=event_id, event_type=event_type, intent=intent)})
