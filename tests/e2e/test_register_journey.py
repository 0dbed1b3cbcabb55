"""A trainer, on a phone in the training room, marks the register: who came,
who did not, and someone who turned up without booking."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import JobRole, User
from accounts.roles import Role
from bookings.models import Booking
from tests.dates import ago
from tests.factories import AgencyFactory, BookingFactory, SessionFactory, TrainerFactory, UserFactory

from .conftest import scan, sign_in

COURSE = "Neglect: an analytical approach"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _row(page, name):
    """A delegate's line on the register: a group of radios named after them."""
    return page.get_by_role("group", name=re.compile(rf"^{re.escape(name)}\b"))


def _mark(page, name, attendance):
    _row(page, name).get_by_label(attendance, exact=True).check()


def _banner(page):
    return page.locator(".govuk-notification-banner")


def _booked(session, name, *, agency):
    """Someone with a confirmed place; each has their own line manager."""
    first_name, last_name = name.split()
    user = UserFactory(
        first_name=first_name,
        last_name=last_name,
        agency=agency,
        line_manager_email=f"manager.of.{first_name.lower()}@example.org",
    )
    BookingFactory(session=session, user=user)
    return user


def _session_under_way():
    """A session that started an hour ago, with three delegates booked and its trainer's account."""
    session = SessionFactory(course__title=COURSE, start=ago(hours=1), capacity=10, minimum_numbers=0)
    school = AgencyFactory(name="Riverside Primary School")
    delegates = {name: _booked(session, name, agency=school) for name in ("Aisha Bello", "Callum Doyle", "Erin Foster")}
    trainer = UserFactory(role=Role.TRAINER, first_name="Tess", last_name="Trainer", agency=None)
    session.trainers.add(TrainerFactory(name="Tess Trainer", user=trainer))
    return session, trainer, school, delegates


@pytest.mark.browser_context_args(**PHONE)
def test_a_trainer_marks_and_submits_the_register_on_a_phone(page, live_server):
    session, trainer, school, delegates = _session_under_way()

    sign_in(page, trainer)
    # On a phone the navigation folds behind a menu button.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your sessions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
    scan(page)
    today = page.locator("h2:has-text('Upcoming and today') + table")
    expect(today.get_by_role("row").filter(has_text=COURSE)).to_contain_text("3 / 10")
    today.get_by_role("link", name=re.compile(rf"^Register for {re.escape(COURSE)}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Register: {COURSE}")
    scan(page)
    # The page fits the phone: nothing to scroll sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390

    # The sign-in sheet for the wall is a PDF (fetched, not opened: it is no page to scan).
    sheet = page.get_by_role("link", name="Print a sign-in sheet (PDF)").get_attribute("href")
    response = page.request.get(sheet)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    _mark(page, "Aisha Bello", "Attended")
    _mark(page, "Callum Doyle", "Did not attend")
    _mark(page, "Erin Foster", "Attended")

    # Someone came without booking: the trainer adds them.
    page.get_by_label("Email address").fill("gus.hale@example.org")
    page.get_by_label("First name").fill("Gus")
    page.get_by_label("Last name").fill("Hale")
    page.get_by_label("Agency").select_option(label="Riverside Primary School")
    page.get_by_label("Job role").select_option(label="Teacher or teaching assistant")
    page.get_by_role("button", name="Add to the register").click()

    expect(_banner(page)).to_contain_text("Gus Hale added to the register.")
    scan(page)
    expect(_row(page, "Gus Hale")).to_contain_text("(walk-in)")
    expect(_row(page, "Gus Hale").get_by_label("Attended", exact=True)).to_be_checked()
    # The marks made before adding the walk-in are still there.
    expect(_row(page, "Aisha Bello").get_by_label("Attended", exact=True)).to_be_checked()
    expect(_row(page, "Callum Doyle").get_by_label("Did not attend", exact=True)).to_be_checked()
    expect(_row(page, "Erin Foster").get_by_label("Attended", exact=True)).to_be_checked()

    page.get_by_role("button", name="Save and submit the register").click()

    expect(_banner(page)).to_contain_text("The register is submitted.")
    scan(page)
    expect(page.locator(".govuk-inset-text")).to_contain_text("by Tess Trainer")
    radios = page.get_by_role("radio")
    expect(radios).to_have_count(4 * len(Booking.Attendance))
    for index in range(radios.count()):
        expect(radios.nth(index)).to_be_disabled()
    expect(page.get_by_role("button", name=re.compile("Save"))).to_have_count(0)
    expect(page.get_by_role("button", name="Add to the register")).to_have_count(0)

    session.refresh_from_db()
    assert session.register_submitted_by == trainer
    attendance = dict(session.bookings.values_list("user__email", "attendance"))
    assert attendance == {
        delegates["Aisha Bello"].email: Booking.Attendance.ATTENDED,
        delegates["Callum Doyle"].email: Booking.Attendance.DID_NOT_ATTEND,
        delegates["Erin Foster"].email: Booking.Attendance.ATTENDED,
        "gus.hale@example.org": Booking.Attendance.ATTENDED,
    }
    walk_in = Booking.objects.get(session=session, user__email="gus.hale@example.org")
    assert walk_in.is_walk_in
    assert walk_in.status == Booking.Status.CONFIRMED
    assert walk_in.booked_by == trainer
    gus = User.objects.get(email="gus.hale@example.org")
    assert (gus.get_full_name(), gus.agency, gus.job_role) == ("Gus Hale", school, JobRole.TEACHER)

    # Only the non-attender is asked why, with their line manager copied in;
    # those who came are asked to evaluate the course.
    [dna] = [message for message in mail.outbox if message.subject.startswith("You did not attend")]
    assert dna.subject == f"You did not attend: {COURSE}"
    assert dna.to == [delegates["Callum Doyle"].email]
    assert dna.cc == ["manager.of.callum@example.org"]
    evaluation = f"How was the course? {COURSE}"
    assert sorted(message.to[0] for message in mail.outbox if message.subject == evaluation) == sorted(
        [delegates["Aisha Bello"].email, delegates["Erin Foster"].email, "gus.hale@example.org"]
    )
