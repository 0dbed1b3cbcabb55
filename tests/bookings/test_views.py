"""The bookings pages, driven through their URLs as a browser would."""

import html
import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from bookings import services, tokens
from bookings.models import Booking, NonAttendanceReason
from courses.models import Session
from tests.dates import ago, ahead
from tests.factories import AgencyFactory, BookingFactory, SessionFactory, TrainerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _text(response, status=200):
    assert response.status_code == status
    return html.unescape(response.content.decode())


def _signed_in(client, user):
    client.force_login(user)
    return user


def _link_in(message, name):
    """The path of the first link to the named URL in an e-mail."""
    prefix = settings.SITE_URL.rstrip("/")
    stem = reverse(f"bookings:{name}", args=["TOKEN"]).removesuffix("TOKEN/")
    match = re.search(re.escape(prefix + stem) + r"(\S+)", message.body)
    assert match, f"no {name} link in: {message.body}"
    return stem + match.group(1)


def _fresh(booking):
    booking.refresh_from_db()
    return booking


def _trainer_of(session):
    user = UserFactory(role=Role.TRAINER)
    session.trainers.add(TrainerFactory(user=user))
    return user


# Booking a place

# The booking form with nothing chosen: a browser still sends the empty text boxes.
AS_A_BROWSER_SENDS_IT = {"dietary_requirements": "", "requirements": ""}


def test_book_page_shows_the_venues_accessibility_notes(client, delegate):
    session = SessionFactory(venue__accessibility_notes="Ramp at the side door; hearing loop in room 2")
    _signed_in(client, delegate)

    page = _text(client.get(reverse("bookings:book", args=[session.pk])))

    assert "Ramp at the side door; hearing loop in room 2" in page
    assert "Confirm booking" in page


def test_booking_a_place_confirms_it_and_shows_the_booking(client, delegate):
    session = SessionFactory()
    _signed_in(client, delegate)

    response = client.post(
        reverse("bookings:book", args=[session.pk]),
        {"needs": ["needs_step_free_access"], "dietary_requirements": "Vegan", "requirements": "Large print"},
    )

    booking = Booking.objects.get(session=session, user=delegate)
    assert response.status_code == 302
    assert response.url == reverse("bookings:detail", args=[booking.pk])
    assert (booking.status, booking.needs_step_free_access, booking.dietary_requirements) == (
        "confirmed",
        True,
        "Vegan",
    )
    assert "Your place is confirmed" in _text(client.get(response.url))


def test_submitting_the_booking_form_twice_books_once_and_says_why(client, delegate):
    session = SessionFactory()
    _signed_in(client, delegate)
    url = reverse("bookings:book", args=[session.pk])

    client.post(url, AS_A_BROWSER_SENDS_IT)
    page = _text(client.post(url, AS_A_BROWSER_SENDS_IT))

    assert "There is a problem" in page
    assert f"{delegate} already has a booking on this session" in page
    assert Booking.objects.filter(session=session, user=delegate).count() == 1


def test_when_the_last_place_goes_while_the_form_is_open_the_booking_joins_the_waiting_list(client, delegate):
    session = SessionFactory(capacity=1, minimum_numbers=0)
    _signed_in(client, delegate)
    url = reverse("bookings:book", args=[session.pk])
    assert "Confirm booking" in _text(client.get(url))
    services.booking_create(session=session, user=UserFactory())  # someone else is quicker

    page = _text(client.post(url, AS_A_BROWSER_SENDS_IT, follow=True))

    assert "The session is full, so you are on the waiting list at position 1" in page
    assert Booking.objects.get(session=session, user=delegate).status == "waitlisted"


def test_people_without_the_right_to_book_are_turned_away(client, user_with_role):
    session = SessionFactory()
    _signed_in(client, user_with_role(Role.TRAINER))

    assert client.post(reverse("bookings:book", args=[session.pk]), {}).status_code == 403
    assert not Booking.objects.exists()


# Your bookings


def test_my_bookings_lists_upcoming_places_with_queue_positions_and_past_outcomes(client, delegate):
    BookingFactory(user=delegate, session__course__title="Upcoming Course", session__start=ahead(days=3))
    full = SessionFactory(course__title="Queued Course", capacity=1, minimum_numbers=0, start=ahead(days=4))
    services.booking_create(session=full, user=UserFactory())
    services.booking_create(session=full, user=UserFactory())
    services.booking_create(session=full, user=delegate)
    BookingFactory(
        user=delegate,
        session__course__title="Past Course",
        session__start=ago(days=30),
        attendance=Booking.Attendance.ATTENDED,
    )
    BookingFactory(session__course__title="Someone Else's Course")
    _signed_in(client, delegate)

    upcoming, past = _text(client.get(reverse("bookings:my_bookings"))).split('<h2 class="govuk-heading-m">Past</h2>')

    assert "Upcoming Course" in upcoming and "Queued Course" in upcoming
    assert "Waiting list: position 2" in upcoming
    assert "Past Course" in past and "Attended" in past
    assert "Someone Else's Course" not in upcoming + past


@pytest.mark.parametrize("name", ["detail", "cancel", "substitute", "non_attendance"])
def test_another_persons_booking_is_not_found(client, delegate, name):
    booking = BookingFactory(session__start=ahead(days=10))
    _signed_in(client, delegate)

    assert client.get(reverse(f"bookings:{name}", args=[booking.pk])).status_code == 404
    assert client.post(reverse(f"bookings:{name}", args=[booking.pk]), {}).status_code == 404
    assert _fresh(booking).status == "confirmed"


def test_cancelling_through_the_page_cancels_the_place(client, delegate):
    booking = BookingFactory(user=delegate, session__start=ahead(days=10))
    _signed_in(client, delegate)

    page = _text(client.post(reverse("bookings:cancel", args=[booking.pk]), follow=True))

    assert "The booking is cancelled" in page
    assert _fresh(booking).status == "cancelled"


@pytest.mark.parametrize(
    ("status", "warned", "ends_as"),
    [
        ("confirmed", True, "late_cancelled"),
        ("payment_pending", False, "cancelled"),
        ("pending_approval", False, "cancelled"),
    ],
)
def test_the_cancel_page_warns_of_a_late_cancellation_exactly_when_cancelling_is_one(
    client, delegate, status, warned, ends_as
):
    booking = BookingFactory(user=delegate, status=status, session__start=ahead(hours=20))  # after the cut-off
    _signed_in(client, delegate)

    page = _text(client.get(reverse("bookings:cancel", args=[booking.pk])))
    client.post(reverse("bookings:cancel", args=[booking.pk]))

    assert ("will be recorded as a late cancellation" in page) is warned
    assert _fresh(booking).status == ends_as


# Agency coordinators


def test_agency_bookings_page_shows_only_the_coordinators_own_agency(client, user_with_role):
    coordinator = _signed_in(client, user_with_role(Role.AGENCY_COORDINATOR))
    BookingFactory(user__agency=coordinator.agency, user__last_name="Colleague")
    BookingFactory(user__last_name="Outsider")

    page = _text(client.get(reverse("bookings:agency_bookings")))

    assert "Sam Colleague" in page
    assert "Outsider" not in page


def test_a_delegate_has_no_agency_bookings_page(client, delegate):
    _signed_in(client, delegate)

    assert client.get(reverse("bookings:agency_bookings")).status_code == 403


def test_coordinator_books_a_colleague(client, user_with_role):
    coordinator = _signed_in(client, user_with_role(Role.AGENCY_COORDINATOR))
    colleague = UserFactory(agency=coordinator.agency)
    session = SessionFactory()

    response = client.post(reverse("bookings:agency_book", args=[session.pk]), {"colleague": colleague.pk})

    assert response.status_code == 302
    booking = Booking.objects.get(session=session)
    assert (booking.user, booking.booked_by, booking.status) == (colleague, coordinator, "confirmed")


def test_coordinator_cannot_book_someone_from_another_agency_by_altering_the_form(client, user_with_role):
    _signed_in(client, user_with_role(Role.AGENCY_COORDINATOR))
    stranger = UserFactory(agency=AgencyFactory())
    session = SessionFactory()

    page = _text(client.post(reverse("bookings:agency_book", args=[session.pk]), {"colleague": stranger.pk}))

    assert "Choose a colleague from your agency" in page
    assert not Booking.objects.exists()


# One-click links in e-mails


@pytest.fixture
def approval_link(django_capture_on_commit_callbacks):
    """A booking waiting for its line manager, and the link e-mailed to them."""
    booking_holder = UserFactory(line_manager_email="boss@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(
            session=SessionFactory(course__requires_manager_approval=True), user=booking_holder
        )
    [request] = [message for message in mail.outbox if message.to == ["boss@example.org"]]
    return booking, _link_in(request, "approval")


def _token(link):
    return link.rstrip("/").rsplit("/", 1)[1]


@pytest.mark.parametrize(
    "bad_token",
    [
        lambda booking, token: "not-a-token",
        lambda booking, token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda booking, token: tokens.make(booking.pk, tokens.RELEASE_SALT),
    ],
    ids=["made up", "altered", "for another purpose"],
)
def test_a_bad_approval_link_is_not_found(client, approval_link, bad_token):
    booking, link = approval_link
    bad_link = reverse("bookings:approval", args=[bad_token(booking, _token(link))])

    assert client.get(bad_link).status_code == 404
    assert client.post(bad_link, {"decision": "approve"}).status_code == 404
    assert _fresh(booking).status == "pending_approval"


def test_an_approval_token_does_not_open_the_release_page(client, approval_link):
    booking, link = approval_link

    release_link = reverse("bookings:release", args=[_token(link)])

    assert client.post(release_link).status_code == 404
    assert _fresh(booking).status == "pending_approval"


def test_the_approval_link_asks_before_it_approves(client, approval_link):
    booking, link = approval_link

    page = _text(client.get(link))

    assert 'value="approve"' in page and 'value="decline"' in page
    assert _fresh(booking).status == "pending_approval"


def test_approving_through_the_link_confirms_the_place(client, approval_link):
    booking, link = approval_link

    page = _text(client.post(link, {"decision": "approve"}, follow=True))

    assert "your decision has been recorded" in page
    assert _fresh(booking).status == "confirmed"


def test_declining_through_the_link_releases_the_place(client, approval_link):
    booking, link = approval_link

    client.post(link, {"decision": "decline"})

    assert _fresh(booking).status == "declined"


def test_the_release_link_in_a_reminder_cancels_the_place(client, django_capture_on_commit_callbacks):
    booking = BookingFactory(session__start=ahead(days=6))
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send()
    link = _link_in(mail.outbox[0], "release")

    assert "Release my place" in _text(client.get(link))
    client.post(link)

    assert _fresh(booking).status == "cancelled"
    assert "This booking is cancelled" in _text(client.get(link))


# The register


@pytest.fixture
def running_session():
    session = SessionFactory(start=ago(hours=1), capacity=3, minimum_numbers=0)
    BookingFactory.create_batch(2, session=session)
    return session


def _register(session):
    return reverse("bookings:register", args=[session.pk])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("trainer of the session", 200),
        ("administrator", 200),
        # Someone else's register does not exist for them, as someone else's booking.
        ("trainer of another session", 404),
        ("delegate", 404),
    ],
)
def test_only_the_sessions_trainers_and_the_training_team_open_its_register(client, running_session, who, status):
    people = {
        "trainer of the session": lambda: _trainer_of(running_session),
        "administrator": lambda: UserFactory(role=Role.TRAINING_ADMINISTRATOR),
        "trainer of another session": lambda: _trainer_of(SessionFactory()),
        "delegate": lambda: UserFactory(role=Role.DELEGATE),
    }
    _signed_in(client, people[who]())

    assert client.get(_register(running_session)).status_code == status
    assert client.get(reverse("bookings:sign_in_sheet", args=[running_session.pk])).status_code == status


def test_signing_in_is_needed_for_the_register(client, running_session):
    response = client.get(_register(running_session))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def _all_marked(session, value="attended"):
    return {f"attendance-{pk}": value for pk in session.bookings.values_list("pk", flat=True)}


def test_the_trainer_marks_attendance_on_the_register(client, running_session):
    _signed_in(client, _trainer_of(running_session))
    first, second = running_session.bookings.order_by("pk")

    response = client.post(
        _register(running_session),
        {"action": "save", f"attendance-{first.pk}": "attended", f"attendance-{second.pk}": "did_not_attend"},
    )

    assert response.status_code == 302
    assert (_fresh(first).attendance, _fresh(second).attendance) == ("attended", "did_not_attend")
    assert "Saved 2 change(s)" in _text(client.get(response.url))


def test_the_trainer_submits_the_register(client, running_session):
    _signed_in(client, _trainer_of(running_session))

    page = _text(
        client.post(_register(running_session), {"action": "submit", **_all_marked(running_session)}, follow=True)
    )

    running_session.refresh_from_db()
    assert running_session.register_is_submitted
    assert "The register is submitted" in page


def test_submitting_with_delegates_unmarked_says_how_many(client, running_session):
    _signed_in(client, _trainer_of(running_session))

    page = _text(client.post(_register(running_session), {"action": "submit"}, follow=True))

    assert "Mark every delegate before submitting: 2 not marked yet" in page
    running_session.refresh_from_db()
    assert not running_session.register_is_submitted


def test_adding_a_walk_in_through_the_register(client, running_session):
    _signed_in(client, _trainer_of(running_session))

    response = client.post(
        _register(running_session),
        {"action": "walk_in", "email": "walk.in@example.org", "first_name": "Wren", "last_name": "Walker"},
    )

    assert response.status_code == 302
    assert running_session.bookings.get(user__email="walk.in@example.org").attendance == "attended"


def test_adding_a_walk_in_keeps_the_marks_made_so_far(client, running_session):
    _signed_in(client, _trainer_of(running_session))
    first, second = running_session.bookings.order_by("pk")

    client.post(
        _register(running_session),
        {
            "action": "walk_in",
            "email": "walk.in@example.org",
            "first_name": "Wren",
            "last_name": "Walker",
            f"attendance-{first.pk}": "attended",
            f"attendance-{second.pk}": "did_not_attend",
        },
    )

    assert (_fresh(first).attendance, _fresh(second).attendance) == ("attended", "did_not_attend")
    assert running_session.bookings.filter(user__email="walk.in@example.org").exists()


def test_walk_in_form_errors_are_shown(client, running_session):
    _signed_in(client, _trainer_of(running_session))

    page = _text(client.post(_register(running_session), {"action": "walk_in", "email": "not-an-address"}))

    assert "There is a problem" in page
    assert "Enter an email address in the correct format" in page
    assert "Enter the delegate's first name" in page
    assert running_session.bookings.count() == 2


def test_the_sign_in_sheet_is_a_pdf(client, running_session):
    _signed_in(client, _trainer_of(running_session))

    response = client.get(reverse("bookings:sign_in_sheet", args=[running_session.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# Cancelling a session


def test_a_session_is_not_cancelled_without_a_reason(client, administrator):
    session = SessionFactory()
    _signed_in(client, administrator)

    page = _text(client.post(reverse("bookings:session_cancel", args=[session.pk]), {"reason": ""}))

    assert "Enter the reason for cancelling" in page
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


def test_cancelling_a_session_with_a_reason(client, administrator):
    session = SessionFactory()
    booking = BookingFactory(session=session)
    _signed_in(client, administrator)

    response = client.post(reverse("bookings:session_cancel", args=[session.pk]), {"reason": "Venue flooded"})

    assert response.status_code == 302
    assert response.url == session.course.get_absolute_url()
    session.refresh_from_db()
    assert (session.status, session.cancellation_reason) == ("cancelled", "Venue flooded")
    assert _fresh(booking).status == "session_cancelled"


def test_a_delegate_cannot_cancel_a_session(client, delegate):
    session = SessionFactory()
    _signed_in(client, delegate)

    assert client.post(reverse("bookings:session_cancel", args=[session.pk]), {"reason": "Mine"}).status_code == 403
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


# Saying why you did not attend


def test_a_non_attender_tells_us_why(client, delegate):
    booking = BookingFactory(user=delegate, session__start=ago(days=3), attendance=Booking.Attendance.DID_NOT_ATTEND)
    _signed_in(client, delegate)
    url = reverse("bookings:non_attendance", args=[booking.pk])

    assert "Why could you not attend?" in _text(client.get(url))
    response = client.post(url, {"reason": "illness", "details": "Flu"})

    assert response.status_code == 302
    assert NonAttendanceReason.objects.get(booking=booking).reason == "illness"


def test_the_non_attendance_form_is_only_for_a_non_attendance(client, delegate):
    booking = BookingFactory(user=delegate, session__start=ago(days=3), attendance=Booking.Attendance.ATTENDED)
    _signed_in(client, delegate)

    assert client.get(reverse("bookings:non_attendance", args=[booking.pk])).status_code == 404


def test_a_coordinator_cannot_answer_for_a_colleagues_non_attendance(client, user_with_role):
    coordinator = _signed_in(client, user_with_role(Role.AGENCY_COORDINATOR))
    booking = BookingFactory(
        user__agency=coordinator.agency, session__start=ago(days=3), attendance=Booking.Attendance.DID_NOT_ATTEND
    )

    assert client.get(reverse("bookings:non_attendance", args=[booking.pk])).status_code == 404
    assert client.get(reverse("bookings:detail", args=[booking.pk])).status_code == 200
