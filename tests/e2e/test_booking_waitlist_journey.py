"""Two practitioners want the last place on a session: one books it, the other
joins the waiting list, and when the first cancels the place is offered to,
and taken by, the second."""

import re

from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from bookings.models import Booking, BookingHistory
from tests.dates import ahead
from tests.factories import SessionFactory, UserFactory, VenueFactory

from .conftest import scan, sign_in

COURSE = "Harm outside the home"


def _status_row(page):
    return page.locator(".govuk-summary-list__row", has_text="Status")


def _banner(page):
    return page.locator(".govuk-notification-banner")


def _emails_to(address):
    return [message for message in mail.outbox if address in message.to]


def _open_the_course_from_the_calendar(page, places):
    """From the calendar (where signing in lands), see the places left and open the course page."""
    card = page.locator(".govuk-summary-card").filter(has=page.get_by_role("heading", name=COURSE))
    expect(card).to_contain_text(places)
    card.get_by_role("link", name=COURSE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE)
    scan(page)


def _open_the_booking_from_your_bookings(page, status):
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your bookings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your bookings")
    scan(page)
    row = page.get_by_role("table", name="Upcoming bookings").get_by_role("row").filter(has_text=COURSE)
    expect(row).to_contain_text(status)
    row.get_by_role("link", name=COURSE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE)
    scan(page)


def _places_never_overbooked(session):
    """Replay every booking's status history on the session, in order, and
    check that the places held never exceeded its capacity."""
    history = BookingHistory.objects.filter(booking__session=session, field=BookingHistory.Field.STATUS)
    status = {}
    for entry in history.order_by("at", "pk"):
        status[entry.booking_id] = entry.to_value
        held = sum(value in Booking.PLACE_STATUSES for value in status.values())
        assert held <= session.capacity, f"{held} places held on a session of {session.capacity}"
    return status


def test_a_freed_place_goes_to_the_waiting_list_and_is_taken(page, another_browser, live_server):
    venue = VenueFactory(
        name="Riverside Children's Centre",
        step_free_access=True,
        accessibility_notes="Lift to the training room on the first floor; accessible toilet on every floor.",
    )
    session = SessionFactory(
        course__title=COURSE,
        venue=venue,
        start=ahead(days=10),
        capacity=1,
        minimum_numbers=0,
    )
    amira = UserFactory(role=Role.DELEGATE, first_name="Amira", last_name="Khan", email="amira.khan@example.org")
    ben = UserFactory(role=Role.DELEGATE, first_name="Ben", last_name="Osei", email="ben.osei@example.org")

    # Amira books the only place, asking for step-free access.
    sign_in(page, amira)
    _open_the_course_from_the_calendar(page, "1 place left")
    page.get_by_role("link", name=re.compile(r"^Book a place")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a place")
    scan(page)
    access = page.locator("h2:has-text('Access at the venue') ~ p")
    expect(access.first).to_have_text("The venue has step-free access.")
    expect(access.nth(1)).to_have_text(venue.accessibility_notes)
    page.get_by_label("Step-free access").check()
    page.get_by_role("button", name="Confirm booking").click()

    expect(_banner(page)).to_contain_text("Your place is confirmed. We have e-mailed you the details.")
    scan(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE)
    expect(_status_row(page)).to_contain_text("Confirmed")
    expect(page.locator(".govuk-summary-list__row", has_text="Requirements")).to_contain_text("Step-free access")
    amiras = Booking.objects.get(session=session, user=amira)
    assert amiras.status == Booking.Status.CONFIRMED
    assert amiras.needs_step_free_access
    [confirmation] = _emails_to(amira.email)
    assert confirmation.subject == f"Your place is confirmed: {COURSE}"
    assert [(name, mimetype) for name, _content, mimetype in confirmation.attachments] == [
        ("session.ics", "text/calendar")
    ]
    assert "BEGIN:VEVENT" in confirmation.attachments[0][1]

    # Ben, at his own desk, finds the session full and joins the waiting list.
    bens_page = another_browser()
    sign_in(bens_page, ben)
    _open_the_course_from_the_calendar(bens_page, "Full – join the waiting list")
    bens_page.get_by_role("link", name=re.compile(r"^Join the waiting list")).click()
    expect(bens_page.get_by_role("heading", level=1)).to_have_text("Join the waiting list")
    scan(bens_page)
    expect(bens_page.locator(".govuk-warning-text")).to_contain_text("This session is full.")
    bens_page.get_by_role("button", name="Join the waiting list").click()

    expect(_banner(bens_page)).to_contain_text("The session is full, so you are on the waiting list at position 1.")
    scan(bens_page)
    expect(_status_row(bens_page)).to_contain_text("On the waiting list – position 1 on the waiting list")
    assert Booking.objects.get(session=session, user=ben).status == Booking.Status.WAITLISTED

    # Amira can no longer go, and cancels her place.
    _open_the_booking_from_your_bookings(page, "Confirmed")
    page.get_by_role("link", name="Cancel this booking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your booking?")
    scan(page)
    expect(page.locator(".govuk-warning-text")).to_have_count(0)  # in good time: not a late cancellation
    page.get_by_role("button", name="Yes, cancel my place").click()

    expect(_banner(page)).to_contain_text("The booking is cancelled.")
    scan(page)
    expect(_status_row(page)).to_contain_text("Cancelled")
    expect(page.get_by_role("link", name="Cancel this booking")).to_have_count(0)

    # Ben is offered the place by e-mail, and takes it.
    offers = [message for message in _emails_to(ben.email) if message.subject.startswith("A place is free")]
    assert [offer.subject for offer in offers] == [f"A place is free for you: {COURSE}"]
    bens = Booking.objects.get(session=session, user=ben)
    assert bens.status == Booking.Status.OFFERED
    assert reverse("bookings:detail", args=[bens.pk]) in offers[0].body

    _open_the_booking_from_your_bookings(bens_page, "Place offered")
    expect(bens_page.locator(".govuk-panel")).to_contain_text("A place is free for you")
    bens_page.get_by_role("button", name="Accept the place").click()

    expect(_banner(bens_page)).to_contain_text("You have accepted the place. It is confirmed.")
    scan(bens_page)
    expect(_status_row(bens_page)).to_contain_text("Confirmed")
    expect(bens_page.get_by_role("button", name="Accept the place")).to_have_count(0)
    assert [message.subject for message in _emails_to(ben.email)][-1] == f"Your place is confirmed: {COURSE}"

    amiras.refresh_from_db()
    bens.refresh_from_db()
    assert amiras.status == Booking.Status.CANCELLED
    assert bens.status == Booking.Status.CONFIRMED
    assert bens.offer_expires_at is None
    assert _places_never_overbooked(session) == {amiras.pk: Booking.Status.CANCELLED, bens.pk: Booking.Status.CONFIRMED}
