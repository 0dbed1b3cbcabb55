"""Paying for a held place by card, through the pay page and the page Stripe
sends the payer back to, with the real `stripe` library talking to localstripe."""

import datetime as dt
import logging

import pytest
import stripe
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from bookings.services import booking_cancel, booking_payment_holds_expire
from payments import stripe_client
from payments.exceptions import PaymentError
from payments.models import Charge, Payment, Refund
from payments.services import refund_issue
from tests.factories import SessionFactory, UserFactory
from tests.stripe_server import DECLINED_CARD, pay, stripe_test_client

from .conftest import PRICE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_api")]


def _open_the_pay_page(client, booking, **query):
    client.force_login(booking.user)
    response = client.get(reverse("payments:pay", args=[booking.pk]), query)
    assert response.status_code == 200
    return response, Payment.objects.get(charge__booking=booking)


def _come_back(client, booking, intent_id):
    """The payer's browser arriving from Stripe at the return URL."""
    return client.get(reverse("payments:pay_return", args=[booking.pk]), {"payment_intent": intent_id}, follow=True)


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def _paid_and_confirmed(client, booking, capture):
    _page, payment = _open_the_pay_page(client, booking)
    pay(payment.stripe_payment_intent_id)
    with capture(execute=True):
        _come_back(client, booking, payment.stripe_payment_intent_id)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    return payment


def _receipts(mailoutbox):
    return [message for message in mailoutbox if message.subject.startswith("Receipt:")]


def test_paying_by_card_confirms_the_place_and_sends_a_receipt(
    client, card_booking, mailoutbox, django_capture_on_commit_callbacks
):
    booking = card_booking()
    assert booking.status == Booking.Status.PAYMENT_PENDING

    page, payment = _open_the_pay_page(client, booking)
    intent = stripe_client.payment_intent_retrieve(payment.stripe_payment_intent_id)
    pay(intent.id)
    with django_capture_on_commit_callbacks(execute=True):
        response = _come_back(client, booking, intent.id)

    assert (intent.amount, intent.currency) == (PRICE, "gbp")
    assert stripe_client.metadata_of(intent) == {
        "booking_id": str(booking.pk),
        "charge_id": str(payment.charge_id),
        "site": settings.SITE_URL,
    }
    content = page.content.decode()
    assert intent.client_secret in content
    assert "Pay £50.00" in content
    assert response.redirect_chain[-1][0] == reverse("bookings:detail", args=[booking.pk])
    assert _messages(response) == ["Payment received – your place is confirmed"]
    booking.refresh_from_db()
    payment.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.hold_expires_at is None
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.charge.status == Charge.Status.PAID
    [receipt] = _receipts(mailoutbox)
    assert receipt.subject == f"Receipt: £50.00 for {booking.session.course.title}"
    assert receipt.to == [booking.user.email]


def test_the_amount_comes_from_our_records_whatever_the_browser_sends(client, card_booking):
    booking = card_booking()

    page, payment = _open_the_pay_page(client, booking, amount="1", amount_pence="1", price_pence="1")

    assert payment.amount_pence == PRICE
    assert stripe_client.payment_intent_retrieve(payment.stripe_payment_intent_id).amount == PRICE
    assert "£50.00" in page.content.decode()
    assert "£0.01" not in page.content.decode()


def test_opening_the_pay_page_again_reuses_the_open_payment(client, card_booking):
    booking = card_booking()

    _first, payment = _open_the_pay_page(client, booking)
    _again, same = _open_the_pay_page(client, booking)

    assert same == payment
    assert Payment.objects.filter(charge__booking=booking).count() == 1


def test_a_declined_card_leaves_the_place_held_and_unpaid(client, card_booking, mailoutbox):
    booking = card_booking()
    _page, payment = _open_the_pay_page(client, booking)

    with pytest.raises(stripe.CardError, match="Your card was declined"):
        pay(payment.stripe_payment_intent_id, card=DECLINED_CARD)
    response = _come_back(client, booking, payment.stripe_payment_intent_id)

    assert _messages(response) == ["The payment has not gone through. You can try again while we hold your place."]
    booking.refresh_from_db()
    payment.refresh_from_db()
    assert booking.status == Booking.Status.PAYMENT_PENDING
    assert payment.status == Payment.Status.PENDING
    assert payment.charge.status == Charge.Status.AWAITING_PAYMENT
    assert _receipts(mailoutbox) == []


def test_a_payment_of_another_amount_confirms_nothing_and_is_logged(client, card_booking, caplog):
    booking = card_booking()
    charge = booking.charges.get()
    # An intent made outside our pay page: our booking's metadata, but £1.
    intent = stripe_client.payment_intent_create(
        amount_pence=100,
        metadata={"booking_id": booking.pk, "charge_id": charge.pk, "site": settings.SITE_URL},
        idempotency_key="tampered",
    )
    pay(intent.id)
    client.force_login(booking.user)

    with caplog.at_level(logging.WARNING, logger="payments"):
        response = _come_back(client, booking, intent.id)

    assert _messages(response) == ["The amount paid does not match the price of the place."]
    assert intent.id in caplog.text
    booking.refresh_from_db()
    charge.refresh_from_db()
    assert booking.status == Booking.Status.PAYMENT_PENDING
    assert charge.status == Charge.Status.AWAITING_PAYMENT
    assert not Payment.objects.exists()


def test_a_payment_for_another_booking_changes_nothing_on_the_return_page(client, card_booking):
    mine = card_booking()
    colleague = UserFactory(agency=mine.user.agency)
    theirs = card_booking(user=colleague)
    _page, their_payment = _open_the_pay_page(client, theirs)
    pay(their_payment.stripe_payment_intent_id)
    client.force_login(mine.user)

    response = _come_back(client, mine, their_payment.stripe_payment_intent_id)

    assert _messages(response) == ["That payment belongs to another booking."]
    mine.refresh_from_db()
    theirs.refresh_from_db()
    their_payment.refresh_from_db()
    assert mine.status == theirs.status == Booking.Status.PAYMENT_PENDING
    assert their_payment.status == Payment.Status.PENDING
    assert not Payment.objects.filter(charge__booking=mine).exists()


def test_a_return_without_a_payment_reference_says_what_happens_next(client, card_booking):
    booking = card_booking()
    client.force_login(booking.user)

    response = client.get(
        reverse("payments:pay_return", args=[booking.pk]), {"payment_intent": "<script>"}, follow=True
    )

    assert response.status_code == 200
    assert _messages(response)[0].startswith("We could not tell which payment this was.")


def test_a_payment_stripe_does_not_know_is_reported_not_crashed_on(client, card_booking):
    booking = card_booking()
    client.force_login(booking.user)

    response = _come_back(client, booking, "pi_doesnotexist")

    assert response.status_code == 200
    assert _messages(response)[0].startswith("We could not check your payment just now.")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PAYMENT_PENDING


def test_a_hold_that_has_run_out_cannot_be_paid(client, card_booking):
    booking = card_booking()
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(booking.user)

    response = client.get(reverse("payments:pay", args=[booking.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("bookings:detail", args=[booking.pk])
    assert _messages(response)[0].startswith("The time to pay for this place ran out at")
    assert not Payment.objects.exists()


def test_a_confirmed_place_has_nothing_to_pay(client, card_booking, django_capture_on_commit_callbacks):
    booking = card_booking()
    _paid_and_confirmed(client, booking, django_capture_on_commit_callbacks)

    response = client.get(reverse("payments:pay", args=[booking.pk]), follow=True)

    assert _messages(response)[-1] == "This place is already confirmed, so there is nothing to pay."
    assert Payment.objects.count() == 1


def test_cancelling_a_paid_place_in_time_refunds_it_at_stripe(client, card_booking, django_capture_on_commit_callbacks):
    booking = card_booking()
    payment = _paid_and_confirmed(client, booking, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, by=booking.user)

    refund = Refund.objects.get(payment=payment)
    assert refund.status == Refund.Status.SUCCEEDED
    assert refund.amount_pence == PRICE
    assert Charge.objects.get(pk=payment.charge_id).status == Charge.Status.REFUNDED
    at_stripe = stripe_test_client().v1.refunds.list(params={"payment_intent": payment.stripe_payment_intent_id})
    assert [(item.id, item.amount) for item in at_stripe.data] == [(refund.stripe_refund_id, PRICE)]


def test_a_payment_is_refunded_only_once(client, card_booking, django_capture_on_commit_callbacks):
    booking = card_booking()
    payment = _paid_and_confirmed(client, booking, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        refund_issue(payment=payment, reason="the course was moved")

    with pytest.raises(PaymentError, match="already been refunded"), transaction.atomic():
        refund_issue(payment=payment, reason="asked twice")

    assert Refund.objects.filter(payment=payment).count() == 1
    at_stripe = stripe_test_client().v1.refunds.list(params={"payment_intent": payment.stripe_payment_intent_id})
    assert len(at_stripe.data) == 1


def _one_place_held_and_a_queue(card_booking):
    """A session whose only place is held for card payment, and someone waiting for it."""
    session = SessionFactory(course__format="full_day", course__charging="band", capacity=1)
    return card_booking(on=session), card_booking(on=session, user=UserFactory())


def test_an_unpaid_hold_expires_and_the_place_goes_to_the_waiting_list(
    client, card_booking, django_capture_on_commit_callbacks
):
    held, waiting = _one_place_held_and_a_queue(card_booking)
    assert waiting.status == Booking.Status.WAITLISTED
    _page, payment = _open_the_pay_page(client, held)

    with django_capture_on_commit_callbacks(execute=True):
        expired = booking_payment_holds_expire(now=held.hold_expires_at + dt.timedelta(minutes=1))

    assert expired == 1
    held.refresh_from_db()
    waiting.refresh_from_db()
    assert held.status == Booking.Status.PAYMENT_EXPIRED
    assert Charge.objects.get(booking=held).status == Charge.Status.VOID
    assert waiting.status == Booking.Status.OFFERED
    assert stripe_client.payment_intent_retrieve(payment.stripe_payment_intent_id).status == "canceled"


def test_a_payment_that_lands_after_the_hold_lapsed_on_a_full_session_is_refunded(
    client, card_booking, django_capture_on_commit_callbacks, caplog
):
    held, waiting = _one_place_held_and_a_queue(card_booking)
    _page, payment = _open_the_pay_page(client, held)
    pay(payment.stripe_payment_intent_id)  # paid at Stripe, but the hold lapses before we hear of it
    with django_capture_on_commit_callbacks(execute=True):
        booking_payment_holds_expire(now=held.hold_expires_at + dt.timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        response = _come_back(client, held, payment.stripe_payment_intent_id)

    assert _messages(response) == [
        "The time to pay for this place ran out before your payment arrived, so the place "
        "was released. Any payment taken for it is refunded in full."
    ]
    held.refresh_from_db()
    waiting.refresh_from_db()
    assert held.status == Booking.Status.PAYMENT_EXPIRED
    assert waiting.status == Booking.Status.OFFERED
    refund = Refund.objects.get(payment=payment)
    assert (refund.status, refund.amount_pence) == (Refund.Status.SUCCEEDED, PRICE)
    assert Charge.objects.get(booking=held).status == Charge.Status.REFUNDED
    assert "with no place: refunding" in caplog.text


def test_a_payment_that_lands_after_the_hold_lapsed_takes_a_place_still_free(
    client, card_booking, django_capture_on_commit_callbacks, mailoutbox
):
    booking = card_booking()
    _page, payment = _open_the_pay_page(client, booking)
    pay(payment.stripe_payment_intent_id)
    with django_capture_on_commit_callbacks(execute=True):
        booking_payment_holds_expire(now=booking.hold_expires_at + dt.timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        response = _come_back(client, booking, payment.stripe_payment_intent_id)

    assert _messages(response) == ["Payment received – your place is confirmed"]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert Charge.objects.get(booking=booking).status == Charge.Status.PAID
    assert not Refund.objects.exists()
    assert len(_receipts(mailoutbox)) == 1


def test_a_paid_place_not_yet_heard_of_is_not_offered_for_payment_again(client, card_booking):
    booking = card_booking()
    _page, payment = _open_the_pay_page(client, booking)
    pay(payment.stripe_payment_intent_id)  # the payer closed the tab before coming back

    response = client.get(reverse("payments:pay", args=[booking.pk]), follow=True)

    assert _messages(response)[-1] == "We have your payment and are confirming your place. This takes a minute at most."
    assert Payment.objects.count() == 1


def test_a_second_payment_for_a_place_already_paid_is_refunded(
    client, card_booking, django_capture_on_commit_callbacks, mailoutbox
):
    booking = card_booking()
    first = _paid_and_confirmed(client, booking, django_capture_on_commit_callbacks)
    again = stripe_client.payment_intent_create(
        amount_pence=PRICE,
        metadata={"booking_id": booking.pk, "charge_id": first.charge_id, "site": settings.SITE_URL},
        idempotency_key="again",
    )
    pay(again.id)

    with django_capture_on_commit_callbacks(execute=True):
        _come_back(client, booking, again.id)

    second = Payment.objects.get(stripe_payment_intent_id=again.id)
    assert second.status == Payment.Status.SUCCEEDED
    assert second.refund.status == Refund.Status.SUCCEEDED
    assert not Refund.objects.filter(payment=first).exists()
    assert Charge.objects.get(pk=first.charge_id).status == Charge.Status.PAID
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert len(_receipts(mailoutbox)) == 1
