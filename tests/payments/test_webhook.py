"""Stripe's webhook: signed events, each acted on once, and only on what Stripe
says of the PaymentIntent when asked again. Deliveries are signed with Stripe's
real scheme; the intents live in localstripe."""

import json
import logging

import pytest
from django.conf import settings
from django.urls import reverse

from bookings.models import Booking
from bookings.services import booking_payment_start
from payments import stripe_client
from payments.models import Charge, Payment, StripeEvent
from tests.stripe_server import deliver, event_payload, free_port, pay, wait_for

pytestmark = pytest.mark.usefixtures("stripe_api")


def _paid_at_stripe(booking) -> str:
    """The payer has paid at Stripe; we have heard nothing yet."""
    payment, _client_secret = booking_payment_start(booking=booking)
    pay(payment.stripe_payment_intent_id)
    return payment.stripe_payment_intent_id


def _status(response):
    return response.json()["status"]


def _receipts(mailoutbox):
    return [message for message in mailoutbox if message.subject.startswith("Receipt:")]


# A live server needs committed data. Serialized rollback, as in the e2e tests, so the
# migrated rows (groups, sectors) are put back after the flush for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_localstripe_delivers_a_signed_event_that_confirms_the_booking(stripe_webhook, card_booking, mailoutbox):
    booking = card_booking()

    intent_id = _paid_at_stripe(booking)

    wait_for(
        lambda: Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED,
        message="the webhook to confirm the booking",
    )
    event = StripeEvent.objects.get()
    assert event.type == "payment_intent.succeeded"
    assert Payment.objects.get(stripe_payment_intent_id=intent_id).status == Payment.Status.SUCCEEDED
    wait_for(lambda: _receipts(mailoutbox), message="the receipt")
    assert [receipt.subject for receipt in _receipts(mailoutbox)] == [
        f"Receipt: £50.00 for {booking.session.course.title}"
    ]


@pytest.mark.django_db
def test_a_signed_event_confirms_the_paid_booking(client, card_booking, django_capture_on_commit_callbacks, mailoutbox):
    booking = card_booking()
    intent_id = _paid_at_stripe(booking)

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, event_payload(intent_id))

    assert (response.status_code, _status(response)) == (200, "processed")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert StripeEvent.objects.filter(event_id=f"evt_test_{intent_id}_succeeded").exists()
    assert len(_receipts(mailoutbox)) == 1


def _refused_and_nothing_changed(response, booking):
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PAYMENT_PENDING
    assert Payment.objects.get(charge__booking=booking).status == Payment.Status.PENDING


@pytest.mark.django_db
def test_a_tampered_body_is_refused(client, card_booking):
    booking = card_booking()
    payload = event_payload(_paid_at_stripe(booking))
    tampered = json.dumps({**payload, "type": "payment_intent.canceled"}).encode()

    response = deliver(client, payload, body=tampered)

    _refused_and_nothing_changed(response, booking)


@pytest.mark.django_db
def test_an_event_signed_with_another_secret_is_refused(client, card_booking):
    booking = card_booking()

    response = deliver(client, event_payload(_paid_at_stripe(booking)), secret="whsec_someone_else")

    _refused_and_nothing_changed(response, booking)


@pytest.mark.django_db
def test_an_event_signed_long_ago_is_refused_as_a_replay(client, card_booking):
    booking = card_booking()
    payload = event_payload(_paid_at_stripe(booking))

    response = deliver(client, payload, timestamp=payload["created"] - 10 * 60)

    _refused_and_nothing_changed(response, booking)


@pytest.mark.django_db
def test_an_event_without_a_signature_is_refused(client, card_booking):
    booking = card_booking()
    payload = event_payload(_paid_at_stripe(booking))

    response = client.post(
        reverse("payments:stripe_webhook"), data=json.dumps(payload), content_type="application/json"
    )

    _refused_and_nothing_changed(response, booking)


@pytest.mark.django_db
def test_a_second_delivery_of_an_event_is_acknowledged_and_ignored(
    client, card_booking, django_capture_on_commit_callbacks, mailoutbox
):
    booking = card_booking()
    payload = event_payload(_paid_at_stripe(booking))

    with django_capture_on_commit_callbacks(execute=True):
        first = deliver(client, payload)
        second = deliver(client, payload)

    assert (_status(first), _status(second)) == ("processed", "duplicate")
    assert second.status_code == 200
    assert StripeEvent.objects.count() == 1
    assert len(_receipts(mailoutbox)) == 1
    assert Booking.objects.get(pk=booking.pk).history.filter(to_value=Booking.Status.CONFIRMED).count() == 1


@pytest.mark.django_db
def test_an_unrecorded_intent_from_another_site_sharing_the_stripe_account_changes_nothing(
    client, card_booking, django_capture_on_commit_callbacks
):
    booking = card_booking()
    charge = booking.charges.get()
    intent = stripe_client.payment_intent_create(
        amount_pence=charge.amount_pence,
        metadata={"booking_id": booking.pk, "charge_id": charge.pk, "site": "https://staging.example.org"},
        idempotency_key="other-site",
    )
    pay(intent.id)

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, event_payload(intent.id))

    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PAYMENT_PENDING
    assert not Payment.objects.filter(stripe_payment_intent_id=intent.id).exists()


@pytest.mark.django_db
def test_success_arriving_before_our_own_record_is_committed_still_confirms(
    client, card_booking, django_capture_on_commit_callbacks
):
    booking = card_booking()
    charge = booking.charges.get()
    # The intent exists at Stripe and is paid, but our Payment row was never committed.
    intent = stripe_client.payment_intent_create(
        amount_pence=charge.amount_pence,
        metadata={"booking_id": booking.pk, "charge_id": charge.pk, "site": settings.SITE_URL},
        idempotency_key=f"charge-{charge.pk}-attempt-1",
    )
    pay(intent.id)
    assert not Payment.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, event_payload(intent.id))

    assert _status(response) == "processed"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    payment = Payment.objects.get(stripe_payment_intent_id=intent.id)
    assert (payment.charge, payment.amount_pence, payment.status) == (charge, 5000, Payment.Status.SUCCEEDED)
    assert Charge.objects.get(pk=charge.pk).status == Charge.Status.PAID


@pytest.mark.django_db
def test_an_event_is_only_a_prompt_to_ask_stripe(client, card_booking, django_capture_on_commit_callbacks):
    """A "succeeded" event for an intent not yet paid changes nothing; a later
    event once it is paid confirms; an older "failed" event arriving last undoes nothing."""
    booking = card_booking()
    payment, _client_secret = booking_payment_start(booking=booking)
    intent_id = payment.stripe_payment_intent_id

    early = deliver(client, event_payload(intent_id, event_id="evt_early"))
    booking.refresh_from_db()
    assert (_status(early), booking.status) == ("processed", Booking.Status.PAYMENT_PENDING)

    pay(intent_id)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, event_payload(intent_id, event_id="evt_paid"))
        late_failure = deliver(
            client, event_payload(intent_id, event_type="payment_intent.payment_failed", event_id="evt_older_failure")
        )

    assert _status(late_failure) == "processed"
    booking.refresh_from_db()
    payment.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert payment.status == Payment.Status.SUCCEEDED
    assert StripeEvent.objects.count() == 3


@pytest.mark.django_db
def test_an_event_for_a_booking_we_do_not_know_is_acknowledged_and_logged(client, caplog):
    intent = stripe_client.payment_intent_create(
        amount_pence=5000, metadata={"booking_id": 987654, "charge_id": 123456}, idempotency_key="stranger"
    )
    pay(intent.id)

    with caplog.at_level(logging.WARNING):
        response = deliver(client, event_payload(intent.id))

    assert (response.status_code, _status(response)) == (200, "ignored")
    assert f"PaymentIntent {intent.id} names no booking we know" in caplog.text
    assert StripeEvent.objects.count() == 1
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_a_payment_of_another_amount_is_refused_logged_and_not_retried(client, card_booking, caplog):
    booking = card_booking()
    charge = booking.charges.get()
    intent = stripe_client.payment_intent_create(
        amount_pence=1,
        metadata={"booking_id": booking.pk, "charge_id": charge.pk, "site": settings.SITE_URL},
        idempotency_key="one-penny",
    )
    pay(intent.id)

    with caplog.at_level(logging.ERROR, logger="payments"):
        response = deliver(client, event_payload(intent.id))

    assert (response.status_code, _status(response)) == (200, "refused")
    assert "The amount paid does not match the price of the place." in caplog.text
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PAYMENT_PENDING
    assert Charge.objects.get(pk=charge.pk).status == Charge.Status.AWAITING_PAYMENT
    assert not Payment.objects.exists()
    assert StripeEvent.objects.count() == 1  # recorded: a retry would be refused the same way


@pytest.mark.django_db
def test_while_stripe_cannot_be_reached_the_event_is_left_for_stripe_to_retry(
    client, card_booking, settings, stripe_api, django_capture_on_commit_callbacks
):
    booking = card_booking()
    payload = event_payload(_paid_at_stripe(booking))

    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    unreachable = deliver(client, payload)
    settings.STRIPE_API_BASE = stripe_api
    with django_capture_on_commit_callbacks(execute=True):
        retried = deliver(client, payload)

    assert unreachable.status_code == 503
    assert (retried.status_code, _status(retried)) == (200, "processed")
    assert StripeEvent.objects.count() == 1
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED


@pytest.mark.django_db
def test_events_of_other_kinds_are_acknowledged_and_ignored(client):
    payload = {
        **event_payload("cus_123", event_type="customer.created"),
        "data": {"object": {"id": "cus_123", "object": "customer"}},
    }

    response = deliver(client, payload)

    assert (response.status_code, _status(response)) == (200, "ignored")
    assert StripeEvent.objects.get().type == "customer.created"


@pytest.mark.django_db
def test_the_webhook_takes_only_posts(client):
    assert client.get(reverse("payments:stripe_webhook")).status_code == 405


@pytest.mark.django_db
def test_stripe_event_record_reports_a_second_delivery():
    from payments.models import StripeEvent
    from payments.services import stripe_event_record

    assert stripe_event_record(event_id="evt_record_once", event_type="payment_intent.succeeded") is True
    assert stripe_event_record(event_id="evt_record_once", event_type="payment_intent.succeeded") is False
    assert StripeEvent.objects.filter(event_id="evt_record_once").count() == 1
