"""A Stripe webhook that never arrived: the reconciliation job (beat, every few
minutes) asks Stripe about card payments still pending and does what the
webhook would have done, so that a late webhook changes nothing."""

import datetime as dt

import pytest
from django.db.models import F

from bookings.models import Booking
from bookings.services import booking_payment_holds_expire, booking_payment_start
from payments import stripe_client
from payments.models import Payment, Refund
from payments.services import refund_issue
from payments.tasks import payments_reconcile
from tests.stripe_server import deliver, event_payload, free_port, pay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_api")]


def _minutes_pass(minutes, model=Payment):
    """As if the payments (or refunds) began `minutes` ago."""
    model.objects.update(created_at=F("created_at") - dt.timedelta(minutes=minutes))


def _subjects(mailoutbox):
    return sorted(message.subject.split(":")[0] for message in mailoutbox)


def test_a_payment_whose_webhook_never_came_confirms_the_place_and_a_late_webhook_changes_nothing(
    client, card_booking, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PAYMENT_RECONCILE_AFTER_MINUTES = 15
    booking = card_booking()
    payment, _secret = booking_payment_start(booking=booking)
    pay(payment.stripe_payment_intent_id)  # paid at Stripe; its webhook is lost

    with django_capture_on_commit_callbacks(execute=True):
        assert payments_reconcile.delay().get() == {"payments": 0, "refunds": 0}  # young: left to its webhook
        _minutes_pass(20)
        assert payments_reconcile.delay().get() == {"payments": 1, "refunds": 0}
        assert payments_reconcile.delay().get() == {"payments": 0, "refunds": 0}
    booking.refresh_from_db()
    payment.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert payment.status == Payment.Status.SUCCEEDED
    emails_after_reconciling = _subjects(mailoutbox)
    assert len(emails_after_reconciling) == 2 and "Receipt" in emails_after_reconciling

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, event_payload(payment.stripe_payment_intent_id))

    assert response.json() == {"status": "processed"}
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert _subjects(mailoutbox) == emails_after_reconciling
    assert not Refund.objects.exists()


def test_an_intent_left_open_when_stripe_was_unreachable_at_the_hold_expiry_is_cancelled_by_the_job(
    card_booking, settings, django_capture_on_commit_callbacks
):
    booking = card_booking()
    payment, _secret = booking_payment_start(booking=booking)
    localstripe = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"  # Stripe is unreachable as the hold lapses
    with django_capture_on_commit_callbacks(execute=True):
        booking_payment_holds_expire(now=booking.hold_expires_at + dt.timedelta(minutes=1))
    settings.STRIPE_API_BASE = localstripe
    assert stripe_client.payment_intent_retrieve(payment.stripe_payment_intent_id).status != "canceled"

    _minutes_pass(settings.PAYMENT_RECONCILE_AFTER_MINUTES + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_reconcile.delay().get()["payments"] == 1

    booking.refresh_from_db()
    payment.refresh_from_db()
    assert booking.status == Booking.Status.PAYMENT_EXPIRED
    assert payment.status == Payment.Status.CANCELLED
    assert stripe_client.payment_intent_retrieve(payment.stripe_payment_intent_id).status == "canceled"


def test_a_refund_that_could_not_be_sent_is_sent_by_the_job(
    card_booking, settings, django_capture_on_commit_callbacks
):
    booking = card_booking()
    payment, _secret = booking_payment_start(booking=booking)
    pay(payment.stripe_payment_intent_id)
    _minutes_pass(settings.PAYMENT_RECONCILE_AFTER_MINUTES + 1)
    with django_capture_on_commit_callbacks(execute=True):
        payments_reconcile.delay()
    payment.refresh_from_db()
    localstripe = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"  # Stripe is unreachable when the refund is made
    with django_capture_on_commit_callbacks(execute=True):
        refund = refund_issue(payment=payment, reason="cancelled in time")
    settings.STRIPE_API_BASE = localstripe
    assert Refund.objects.get(pk=refund.pk).status == Refund.Status.PENDING

    _minutes_pass(settings.PAYMENT_RECONCILE_AFTER_MINUTES + 1, model=Refund)
    assert payments_reconcile.delay().get()["refunds"] == 1
    assert payments_reconcile.delay().get()["refunds"] == 0

    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED and refund.stripe_refund_id
