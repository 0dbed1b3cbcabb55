"""An agency's training coordinator books a place for a colleague, choosing
only from their own agency's staff."""

import re

from django.core import mail
from django.utils.timezone import localtime
from playwright.sync_api import expect

from accounts.roles import Role
from bookings.models import Booking
from tests.factories import AgencyFactory, SessionFactory, UserFactory

from .conftest import scan, sign_in

COURSE = "Working with parents who are hard to engage"


def test_a_coordinator_books_a_colleague_from_their_agency(page, live_server):
    session = SessionFactory(course__title=COURSE, capacity=12, minimum_numbers=0)
    school = AgencyFactory(name="Riverside Primary School")
    coordinator = UserFactory(role=Role.AGENCY_COORDINATOR, agency=school, first_name="Cara", last_name="Ndlovu")
    colleague = UserFactory(
        role=Role.DELEGATE,
        agency=school,
        first_name="Dan",
        last_name="Reilly",
        email="dan.reilly@riverside.example.org",
    )
    outsider = UserFactory(
        role=Role.DELEGATE,
        agency=AgencyFactory(name="Hillside Academy"),
        first_name="Olu",
        last_name="Adeyemi",
        email="olu.adeyemi@hillside.example.org",
    )

    sign_in(page, coordinator)
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Agency bookings")).to_be_visible()

    page.get_by_role("link", name=COURSE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE)
    scan(page)
    page.get_by_role("link", name=re.compile(r"^Book a colleague")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a colleague")
    scan(page)
    expect(page.locator(".govuk-caption-l")).to_have_text("Riverside Primary School")
    expect(page.get_by_role("main")).to_contain_text("12 places left.")

    # Only the school's own staff can be chosen.
    colleagues = page.get_by_label("Colleague").locator("option")
    expect(colleagues).to_have_text(
        [
            "Choose a colleague",
            "Cara Ndlovu (" + coordinator.email + ")",
            "Dan Reilly (dan.reilly@riverside.example.org)",
        ]
    )
    expect(colleagues.filter(has_text=outsider.email)).to_have_count(0)
    page.get_by_label("Colleague").select_option(label="Dan Reilly (dan.reilly@riverside.example.org)")
    page.get_by_role("button", name="Book", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your agency's bookings")
    scan(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Dan Reilly: Confirmed.")
    rows = page.get_by_role("table", name="Bookings by your agency's staff").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("cell")).to_have_text(
        ["Dan Reilly", COURSE, localtime(session.start).strftime("%-d %b %Y"), "Confirmed", "–"]
    )

    booking = Booking.objects.get(session=session)
    assert booking.user == colleague
    assert booking.booked_by == coordinator
    assert booking.status == Booking.Status.CONFIRMED
    assert not Booking.objects.filter(user=outsider).exists()
    # The colleague, not the coordinator, is sent the confirmation.
    assert [(message.to, message.subject) for message in mail.outbox] == [
        ([colleague.email], f"Your place is confirmed: {COURSE}")
    ]
