"""The only module that talks to Stripe. Settings are read at call time, so
tests and `make run` can point the real `stripe` library at localstripe
(STRIPE_API_BASE) without touching code."""

import stripe
from django.conf import settings

# What callers catch, so that no other module needs to know the library.
StripeError = stripe.StripeError
InvalidRequestError = stripe.InvalidRequestError
SignatureVerificationError = stripe.SignatureVerificationError


def _client() -> stripe.StripeClient:
    options = {"api_key": settings.STRIPE_SECRET_KEY}
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(**options)


def payment_intent_create(*, amount_pence: int, metadata: dict, idempotency_key: str):
    return _client().v1.payment_intents.create(
        params={
            "amount": amount_pence,
            "currency": "gbp",
            "payment_method_types": ["card"],
            "metadata": {key: str(value) for key, value in metadata.items()},
        },
        options={"idempotency_key": idempotency_key},
    )


def payment_intent_retrieve(payment_intent_id: str):
    return _client().v1.payment_intents.retrieve(payment_intent_id)


def payment_intent_cancel(payment_intent_id: str):
    return _client().v1.payment_intents.cancel(payment_intent_id)


def refund_create(*, payment_intent_id: str, amount_pence: int, idempotency_key: str):
    return _client().v1.refunds.create(
        params={"payment_intent": payment_intent_id, "amount": amount_pence},
        options={"idempotency_key": idempotency_key},
    )


def metadata_of(stripe_object) -> dict:
    """An object's metadata as a plain dict (the library's objects are not dicts)."""
    metadata = getattr(stripe_object, "metadata", None)
    return metadata.to_dict() if metadata is not None else {}


def webhook_event(payload: bytes, signature_header: str):
    """The verified event, or stripe.SignatureVerificationError / ValueError."""
    return stripe.Webhook.construct_event(payload, signature_header, settings.STRIPE_WEBHOOK_SECRET)
