"""A nursery practitioner whose setting does not contribute to the partnership
books a full-day course, pays by card on our own page (localstripe standing in
for Stripe, as in `make run`), and sees the place confirmed, with a receipt by
e-mail."""

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import JobRole
from accounts.roles import Role
from bookings.models import Booking
from courses.models import CourseFormat
from payments.models import BandRate, Charge, ChargingBand, Payment
from tests.dates import ahead
from tests.factories import AgencyFactory, SessionFactory, UserFactory

from .conftest import scan, sign_in, visit

COURSE = "Safeguarding in the early years"

pytestmark = pytest.mark.usefixtures("stripe_api")


@pytest.fixture
def priya():
    band = ChargingBand.objects.create(name="Private, voluntary and independent", slug="pvi")
    BandRate.objects.create(band=band, format=CourseFormat.FULL_DAY, price_pence=5000, fee_pence=2500)
    nursery = AgencyFactory(name="Little Acorns Day Nursery", charging_band=band)
    return UserFactory(role=Role.DELEGATE, first_name="Priya", last_name="Shah", email="priya.shah@example.org",
                       job_role=JobRole.EARLY_YEARS, agency=nursery)


@pytest.fixture
def session():
    return SessionFactory(course__title=COURSE, course__format=CourseFormat.FULL_DAY, course__charging="band",
                          start=ahead(days=10))


def _banner(page):
    return page.locator(".govuk-notification-banner")


def _book_paying_by_card(page, session):
    visit(page, reverse("bookings:book", args=[session.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a place")
    page.get_by_label("Pay by card now (£50.00)").check()
    page.get_by_role("button", name="Confirm booking").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Pay for your place")
    scan(page)
    expect(_banner(page)).to_contain_text("We are holding a place for you. Pay by card now to confirm it.")
    expect(page.locator("#payment-amount")).to_have_text("£50.00")
    expect(page.locator(".govuk-error-summary")).to_be_hidden()


def _enter_card(page, number):
    # The card fields are localstripe's stand-in for Stripe's Payment Element.
    page.get_by_label("Card number").fill(number)
    page.get_by_label("Expiry month").fill("12")
    page.get_by_label("Expiry year").fill("34")
    page.get_by_label("Security code").fill("123")


def _receipts():
    return [message for message in mail.outbox if message.subject.startswith("Receipt:")]


def test_a_nursery_practitioner_pays_by_card_and_the_place_is_confirmed(page, priya, session):
    sign_in(page, priya)
    _book_paying_by_card(page, session)
    booking = Booking.objects.get(session=session, user=priya)
    assert booking.status == Booking.Status.PAYMENT_PENDING

    _enter_card(page, "4242 4242 4242 4242")
    page.get_by_role("button", name="Pay £50.00").click()

    expect(_banner(page)).to_contain_text("Payment received – your place is confirmed")
    scan(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE)
    expect(page.locator(".govuk-summary-list__row", has_text="Status")).to_contain_text("Confirmed")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    payment = Payment.objects.get(charge__booking=booking)
    assert (payment.amount_pence, payment.status) == (5000, Payment.Status.SUCCEEDED)
    assert payment.charge.status == Charge.Status.PAID
    [receipt] = _receipts()
    assert receipt.subject == f"Receipt: £50.00 for {COURSE}"
    assert receipt.to == [priya.email]
    assert payment.stripe_payment_intent_id in receipt.body


def test_a_declined_card_is_explained_and_another_card_with_3d_secure_pays(page, priya, session):
    sign_in(page, priya)
    _book_paying_by_card(page, session)

    _enter_card(page, "4000 0000 0000 0341")  # declined by the bank
    page.get_by_role("button", name="Pay £50.00").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Your card was declined.")
    expect(summary).to_be_focused()
    scan(page)
    assert Booking.objects.get(session=session, user=priya).status == Booking.Status.PAYMENT_PENDING

    _enter_card(page, "4000 0025 0000 3155")  # asks the payer to authenticate (3-D Secure)
    page.get_by_role("button", name="Pay £50.00").click()
    page.get_by_role("button", name="Complete authentication").click()  # localstripe's 3-D Secure dialog

    expect(_banner(page)).to_contain_text("Payment received – your place is confirmed")
    scan(page)
    assert Booking.objects.get(session=session, user=priya).status == Booking.Status.CONFIRMED
    assert len(_receipts()) == 1
