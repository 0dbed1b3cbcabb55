"""The bookings services: taking places, the waiting list, approvals, cancelling,
registers and the scheduled messages. Each test is one rule of the contract."""

import contextlib
import datetime as dt

import pytest
from django.core import mail
from django.db import transaction

from accounts.roles import Role
from bookings import services
from bookings.exceptions import (
    AgencyCapReachedError,
    AlreadyBookedError,
    BookingError,
    BookingStateError,
    NotAllowedError,
    OfferError,
    OverlappingBookingError,
    RegisterError,
    SessionNotBookableError,
)
from bookings.models import Booking, BookingHistory, NonAttendanceReason
from bookings.selectors import waitlist_position
from bookings.services._common import cancellation_cutoff
from core.models import OutboundEmail
from core.services import email_deliver_now, email_enqueue
from courses.models import Session
from tests.dates import ago, ahead, at
from tests.factories import (
    AgencyFactory,
    BookingFactory,
    CourseFactory,
    SessionFactory,
    TrainerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _booking_rules(settings):
    """The partnership's rules as config/settings.py sets them by default."""
    settings.BOOKING_CANCELLATION_CUTOFF_WORKING_DAYS = 2
    settings.WAITLIST_OFFER_HOURS = 24
    settings.DNA_POLICY_THRESHOLD = 2
    settings.DNA_COPY_LINE_MANAGER = True
    settings.UNDERSUBSCRIPTION_WINDOW_DAYS = 14


@pytest.fixture
def delivered(django_capture_on_commit_callbacks):
    """Run the code under test, then deliver its e-mails as the commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _to(address):
    return [message for message in mail.outbox if address in message.to]


def _subjects(address):
    return [message.subject for message in _to(address)]


def _book(session, *people):
    return [services.booking_create(session=session, user=person) for person in people]


def _fresh(booking):
    booking.refresh_from_db()
    return booking


def _places_held(session):
    return Booking.objects.filter(session=session, status__in=Booking.PLACE_STATUSES).count()


def _trainer_of(session):
    user = UserFactory(role=Role.TRAINER)
    session.trainers.add(TrainerFactory(user=user))
    return user


# Taking a place


def test_booking_while_places_are_free_confirms_the_place(delivered):
    session = SessionFactory(minimum_numbers=0, capacity=2, course__title="Neglect Essentials")
    delegate = UserFactory()

    with delivered():
        booking = services.booking_create(session=session, user=delegate, requirements="  A quiet room  ")

    assert booking.status == "confirmed"
    assert booking.requirements == "A quiet room"
    assert _subjects(delegate.email) == ["Your place is confirmed: Neglect Essentials"]
    assert _to(delegate.email)[0].attachments[0][0] == "session.ics"


def test_booking_keeps_the_additional_requirements_asked_for():
    booking = services.booking_create(
        session=SessionFactory(),
        user=UserFactory(),
        needs={"needs_hearing_loop": True, "dietary_requirements": "Vegan", "is_walk_in": True},
    )

    assert booking.needs_hearing_loop
    assert booking.dietary_requirements == "Vegan"
    assert not booking.is_walk_in  # only requirements are taken from `needs`


def test_booking_a_full_session_joins_the_waiting_list_in_order_of_arrival(delivered):
    session = SessionFactory(minimum_numbers=0, capacity=1)
    people = UserFactory.create_batch(4)

    with delivered():
        first, *queue = _book(session, *people)

    assert first.status == "confirmed"
    assert [booking.status for booking in queue] == ["waitlisted"] * 3
    assert [waitlist_position(booking) for booking in queue] == [1, 2, 3]
    assert "waiting list at position 3" in _to(people[3].email)[0].body


def test_waiting_list_positions_close_up_when_someone_leaves():
    session = SessionFactory(minimum_numbers=0, capacity=1, start=ahead(days=10))
    _confirmed, leaving, second, third = _book(session, *UserFactory.create_batch(4))

    services.booking_cancel(booking=leaving, by=leaving.user)

    assert [waitlist_position(_fresh(b)) for b in (second, third)] == [1, 2]


def test_a_person_cannot_hold_two_live_bookings_on_one_session():
    session = SessionFactory(minimum_numbers=0, capacity=1)
    delegate = UserFactory(first_name="Robin", last_name="Reed")
    services.booking_create(session=session, user=delegate)

    with pytest.raises(AlreadyBookedError, match="Robin Reed already has a booking on this session"):
        services.booking_create(session=session, user=delegate)

    assert Booking.objects.filter(session=session, user=delegate).count() == 1


def test_a_person_can_book_again_after_cancelling():
    session = SessionFactory(start=ahead(days=10))
    delegate = UserFactory()
    first = services.booking_create(session=session, user=delegate)
    services.booking_cancel(booking=first, by=delegate)

    again = services.booking_create(session=session, user=delegate)

    assert again.status == "confirmed"


@pytest.mark.parametrize(
    ("session_details", "message"),
    [
        ({"status": Session.Status.CANCELLED}, "This session has been cancelled"),
        ({"start": ago(minutes=5)}, "already started"),
        ({"booking_closes_at": ago(hours=1)}, "Bookings for this session have closed"),
    ],
    ids=["cancelled", "started", "booking window closed"],
)
def test_booking_is_refused_when_the_session_cannot_be_booked(session_details, message):
    session = SessionFactory(**session_details)

    with pytest.raises(SessionNotBookableError, match=message):
        services.booking_create(session=session, user=UserFactory())

    assert not Booking.objects.filter(session=session).exists()


def test_booking_before_the_window_closes_is_accepted():
    session = SessionFactory(booking_closes_at=ahead(days=2))

    assert services.booking_create(session=session, user=UserFactory()).status == "confirmed"


def test_booking_a_session_at_the_same_time_as_another_booking_is_refused():
    delegate = UserFactory()
    morning = SessionFactory(start=ahead(days=5))
    services.booking_create(session=morning, user=delegate)
    clashing = SessionFactory(start=morning.start + dt.timedelta(hours=2))

    with pytest.raises(OverlappingBookingError, match="already booked on another session at the same time"):
        services.booking_create(session=clashing, user=delegate)


def test_a_cancelled_booking_does_not_clash_with_a_new_one():
    delegate = UserFactory()
    morning = SessionFactory(start=ahead(days=5))
    services.booking_cancel(booking=services.booking_create(session=morning, user=delegate), by=delegate)
    clashing = SessionFactory(start=morning.start + dt.timedelta(hours=2))

    assert services.booking_create(session=clashing, user=delegate).status == "confirmed"


def test_coordinator_books_a_colleague_from_their_own_agency():
    coordinator = UserFactory(role=Role.AGENCY_COORDINATOR)
    colleague = UserFactory(agency=coordinator.agency)

    booking = services.booking_create(session=SessionFactory(), user=colleague, booked_by=coordinator)

    assert (booking.status, booking.user, booking.booked_by) == ("confirmed", colleague, coordinator)


def test_coordinator_cannot_book_someone_from_another_agency():
    coordinator = UserFactory(role=Role.AGENCY_COORDINATOR)
    stranger = UserFactory()
    session = SessionFactory()

    with pytest.raises(NotAllowedError, match="colleagues in your own agency"):
        services.booking_create(session=session, user=stranger, booked_by=coordinator)

    assert not Booking.objects.filter(session=session).exists()


def test_a_delegate_cannot_book_a_place_for_someone_else():
    colleague_a, colleague_b = UserFactory.create_batch(2, agency=AgencyFactory())

    with pytest.raises(NotAllowedError):
        services.booking_create(session=SessionFactory(), user=colleague_b, booked_by=colleague_a)


def test_an_agency_cannot_hold_more_places_than_the_course_cap():
    session = SessionFactory(minimum_numbers=0, capacity=10, course__agency_cap=2)
    agency = AgencyFactory(name="Riverside Police")
    _book(session, *UserFactory.create_batch(2, agency=agency))

    with pytest.raises(AgencyCapReachedError, match="Riverside Police already has 2 places"):
        services.booking_create(session=session, user=UserFactory(agency=agency))

    assert services.booking_create(session=session, user=UserFactory()).status == "confirmed"


# Line manager approval and the non-attendance policy


def test_booking_a_course_needing_approval_holds_a_place_and_asks_the_line_manager(delivered):
    session = SessionFactory(minimum_numbers=0, capacity=1, course__requires_manager_approval=True)
    delegate = UserFactory(line_manager_email="boss@example.org")

    with delivered():
        booking = services.booking_create(session=session, user=delegate)

    assert (booking.status, booking.approver) == ("pending_approval", "line_manager")
    assert services.booking_create(session=session, user=UserFactory()).status == "waitlisted"
    [request] = _to("boss@example.org")
    assert "/bookings/approval/" in request.body
    assert _to(delegate.email)[0].subject.startswith("Your place is waiting for approval")


def test_line_manager_approval_confirms_the_place(delivered):
    booking = services.booking_create(
        session=SessionFactory(course__requires_manager_approval=True), user=UserFactory()
    )

    with delivered():
        services.booking_approval_decide(booking=booking, approve=True)

    assert _fresh(booking).status == "confirmed"
    assert _subjects(booking.user.email)[0].startswith("Your place is confirmed")


def test_declining_approval_releases_the_place_to_the_waiting_list(delivered):
    session = SessionFactory(
        minimum_numbers=0, capacity=1, start=ahead(days=10), course__requires_manager_approval=True
    )
    held, waiting = _book(session, UserFactory(), UserFactory())

    with delivered():
        services.booking_approval_decide(booking=held, approve=False)

    assert _fresh(held).status == "declined"
    assert _fresh(waiting).status == "offered"
    assert _subjects(held.user.email)[0].startswith("Your place was not approved")
    assert _subjects(waiting.user.email)[0].startswith("A place is free for you")


def test_a_decided_approval_cannot_be_decided_again():
    booking = services.booking_create(
        session=SessionFactory(course__requires_manager_approval=True), user=UserFactory()
    )
    services.booking_approval_decide(booking=booking, approve=True)

    with pytest.raises(BookingStateError, match="already been decided"):
        services.booking_approval_decide(booking=booking, approve=False)

    assert _fresh(booking).status == "confirmed"


def _did_not_attend(delegate, *, times, days_ago=40):
    for n in range(times):
        BookingFactory(
            user=delegate, session__start=ago(days=days_ago + n), attendance=Booking.Attendance.DID_NOT_ATTEND
        )


def test_after_two_non_attendances_a_booking_needs_the_coordinators_approval(delivered):
    delegate = UserFactory()
    coordinator = UserFactory(role=Role.AGENCY_COORDINATOR, agency=delegate.agency)
    UserFactory(role=Role.AGENCY_COORDINATOR)  # another agency's coordinator is not asked
    _did_not_attend(delegate, times=2)

    with delivered():
        booking = services.booking_create(session=SessionFactory(), user=delegate)

    assert (booking.status, booking.approver) == ("pending_approval", "coordinator")
    assert [message.to for message in mail.outbox if "approve" in message.subject.lower()] == [[coordinator.email]]


def test_one_non_attendance_does_not_need_approval():
    delegate = UserFactory()
    _did_not_attend(delegate, times=1)

    assert services.booking_create(session=SessionFactory(), user=delegate).status == "confirmed"


def test_non_attendances_more_than_twelve_months_ago_are_forgiven():
    delegate = UserFactory()
    _did_not_attend(delegate, times=2, days_ago=400)

    assert services.booking_create(session=SessionFactory(), user=delegate).status == "confirmed"


# Cancelling


def test_cancel_before_cutoff_is_a_cancellation(delivered):
    booking = services.booking_create(session=SessionFactory(start=ahead(days=10)), user=UserFactory())

    with delivered():
        services.booking_cancel(booking=booking, by=booking.user)

    assert _fresh(booking).status == "cancelled"
    assert _subjects(booking.user.email)[-1].startswith("Booking cancelled")


def test_cancel_after_cutoff_is_late_cancellation():
    booking = services.booking_create(session=SessionFactory(start=ahead(days=1)), user=UserFactory())

    services.booking_cancel(booking=booking, by=booking.user)

    assert _fresh(booking).status == "late_cancelled"


@pytest.mark.parametrize(
    ("session_day", "cutoff_day"),
    [
        (dt.date(2031, 6, 9), dt.date(2031, 6, 5)),  # Monday: the Thursday before
        (dt.date(2031, 6, 10), dt.date(2031, 6, 6)),  # Tuesday: the Friday before
        (dt.date(2031, 6, 12), dt.date(2031, 6, 10)),  # Thursday: the Tuesday
    ],
    ids=["monday", "tuesday", "thursday"],
)
def test_cancellation_cutoff_is_two_working_days_before_skipping_weekends(session_day, cutoff_day):
    session = Session(start=at(session_day, 9, 30))

    assert cancellation_cutoff(session) == at(cutoff_day, 9, 30)


def test_cancelling_a_session_that_has_started_is_refused():
    booking = BookingFactory(session__start=ago(hours=1))

    with pytest.raises(BookingStateError, match="session has started"):
        services.booking_cancel(booking=booking, by=booking.user)

    assert _fresh(booking).status == "confirmed"


def test_cancelling_twice_is_refused():
    booking = services.booking_create(session=SessionFactory(start=ahead(days=10)), user=UserFactory())
    services.booking_cancel(booking=booking, by=booking.user)

    with pytest.raises(BookingStateError, match="already cancelled"):
        services.booking_cancel(booking=booking, by=booking.user)


def test_leaving_the_waiting_list_is_recorded_as_such():
    session = SessionFactory(minimum_numbers=0, capacity=1)
    _confirmed, waiting = _book(session, UserFactory(), UserFactory())

    services.booking_cancel(booking=waiting, by=waiting.user)

    assert _fresh(waiting).status == "left_waiting_list"


# The waiting list


def test_a_freed_place_is_offered_to_the_first_on_the_waiting_list(delivered):
    session = SessionFactory(minimum_numbers=0, capacity=1, start=ahead(days=10))
    leaving, first, second = _book(session, *UserFactory.create_batch(3))

    before = ahead()
    with delivered():
        services.booking_cancel(booking=leaving, by=leaving.user)
    after = ahead()

    first, second = _fresh(first), _fresh(second)
    assert (first.status, second.status) == ("offered", "waitlisted")
    assert before + dt.timedelta(hours=24) <= first.offer_expires_at <= after + dt.timedelta(hours=24)
    assert _subjects(first.user.email) == [f"A place is free for you: {session.course.title}"]
    assert _to(second.user.email) == []


def test_an_offer_holds_the_place_for_at_most_half_the_time_left_before_the_session(settings):
    settings.WAITLIST_OFFER_HOURS = 200
    session = SessionFactory(minimum_numbers=0, capacity=1, start=ahead(days=10))
    leaving, waiting = _book(session, UserFactory(), UserFactory())

    services.booking_cancel(booking=leaving, by=leaving.user)

    left_at_offer = _fresh(waiting).offer_expires_at - ahead()
    assert dt.timedelta(hours=119) < left_at_offer <= dt.timedelta(hours=120)


def test_accepting_an_offer_confirms_the_place(delivered):
    session = SessionFactory(minimum_numbers=0, capacity=1, start=ahead(days=10))
    leaving, waiting = _book(session, UserFactory(), UserFactory())
    services.booking_cancel(booking=leaving, by=leaving.user)

    with delivered():
        booking = services.waitlist_offer_accept(booking=waiting, by=waiting.user)

    assert (booking.status, booking.offer_expires_at) == ("confirmed", None)
    assert _subjects(waiting.user.email)[-1].startswith("Your place is confirmed")


def test_accepting_an_offer_on_a_course_needing_approval_holds_the_place_for_the_line_manager(delivered):
    session = SessionFactory(
        minimum_numbers=0, capacity=1, start=ahead(days=10), course__requires_manager_approval=True
    )
    leaving = UserFactory()
    waiting_user = UserFactory(line_manager_email="boss@example.org")
    leaving_booking = services.booking_create(session=session, user=leaving)
    services.booking_approval_decide(booking=leaving_booking, approve=True)
    waiting = services.booking_create(session=session, user=waiting_user)
    services.booking_cancel(booking=leaving_booking, by=leaving)

    with delivered():
        booking = services.waitlist_offer_accept(booking=waiting, by=waiting_user)

    assert (booking.status, booking.approver) == ("pending_approval", "line_manager")
    assert _places_held(session) == 1
    assert _subjects("boss@example.org") == [f"Please approve a training place for {waiting_user.get_full_name()}"]


def test_declining_an_offer_passes_the_place_on():
    session = SessionFactory(minimum_numbers=0, capacity=1, start=ahead(days=10))
    leaving, first, second = _book(session, *UserFactory.create_batch(3))
    services.booking_cancel(booking=leaving, by=leaving.user)

    services.waitlist_offer_decline(booking=first, by=first.user)

    assert (_fresh(first).status, _fresh(second).status) == ("offer_declined", "offered")


def test_accepting_an_expired_offer_is_refused_and_the_place_passes_on():
    session = SessionFactory(minimum_numbers=0, capacity=1, start=ahead(days=10))
    leaving, late, next_in_line = _book(session, *UserFactory.create_batch(3))
    services.booking_cancel(booking=leaving, by=leaving.user)
    Booking.objects.filter(pk=late.pk).update(offer_expires_at=ago(minutes=1))

    with pytest.raises(OfferError, match="this offer expired"):
        services.waitlist_offer_accept(booking=late, by=late.user)

    assert _fresh(late).status == "offer_expired"
    assert _fresh(next_in_line).status == "offered"


def test_unanswered_offers_expire_and_the_place_passes_on(delivered):
    session = SessionFactory(minimum_numbers=0, capacity=1, start=ahead(days=10))
    leaving, silent, next_in_line = _book(session, *UserFactory.create_batch(3))
    services.booking_cancel(booking=leaving, by=leaving.user)

    with delivered():
        expired = services.waitlist_offers_expire(now=ahead(hours=25))

    assert expired == 1
    assert _fresh(silent).status == "offer_expired"
    assert _fresh(next_in_line).status == "offered"
    assert _subjects(next_in_line.user.email)[-1].startswith("A place is free for you")


def test_offers_still_open_do_not_expire():
    session = SessionFactory(minimum_numbers=0, capacity=1, start=ahead(days=10))
    leaving, waiting = _book(session, UserFactory(), UserFactory())
    services.booking_cancel(booking=leaving, by=leaving.user)

    assert services.waitlist_offers_expire(now=ahead(hours=23)) == 0
    assert _fresh(waiting).status == "offered"


def test_in_the_last_working_day_a_freed_place_is_offered_to_the_whole_list(delivered):
    session = SessionFactory(minimum_numbers=0, capacity=1, start=ahead(hours=3))
    leaving, first, second = _book(session, *UserFactory.create_batch(3))

    with delivered():
        services.booking_cancel(booking=leaving, by=leaving.user)

    first, second = _fresh(first), _fresh(second)
    assert (first.status, second.status) == ("waitlisted", "waitlisted")
    assert first.open_offer_sent_at and second.open_offer_sent_at
    for person in (first.user, second.user):
        assert _subjects(person.email)[-1].startswith("Last-minute place free")


def test_in_the_last_working_day_the_first_to_accept_wins_the_place():
    session = SessionFactory(minimum_numbers=0, capacity=1, start=ahead(hours=3))
    leaving, first, second = _book(session, *UserFactory.create_batch(3))
    services.booking_cancel(booking=leaving, by=leaving.user)

    services.waitlist_offer_accept(booking=second, by=second.user)
    with pytest.raises(OfferError, match="someone else took the free place first"):
        services.waitlist_offer_accept(booking=first, by=first.user)

    assert (_fresh(second).status, _fresh(first).status) == ("confirmed", "waitlisted")
    assert _places_held(session) == 1


def test_accepting_without_an_offer_is_refused():
    session = SessionFactory(minimum_numbers=0, capacity=1)
    _confirmed, waiting = _book(session, UserFactory(), UserFactory())

    with pytest.raises(OfferError, match="no open offer"):
        services.waitlist_offer_accept(booking=waiting, by=waiting.user)


# Substituting and moving


def test_a_place_can_be_passed_to_a_colleague_from_the_same_agency(delivered):
    session = SessionFactory(minimum_numbers=0, capacity=1)
    [booking] = _book(session, UserFactory())
    colleague = UserFactory(agency=booking.user.agency)

    with delivered():
        new = services.booking_substitute(booking=booking, colleague=colleague, by=booking.user)

    assert _fresh(booking).status == "substituted"
    assert (new.user, new.status) == (colleague, "confirmed")
    assert _places_held(session) == 1
    assert _subjects(booking.user.email)[-1].startswith("Your place has passed to")
    assert _subjects(colleague.email) == [f"Your place is confirmed: {session.course.title}"]


def test_a_place_cannot_be_passed_to_someone_from_another_agency():
    [booking] = _book(SessionFactory(), UserFactory())

    with pytest.raises(NotAllowedError, match="same agency"):
        services.booking_substitute(booking=booking, colleague=UserFactory(), by=booking.user)

    assert _fresh(booking).status == "confirmed"


def test_moving_a_booking_gives_a_place_on_the_new_session_and_offers_the_old_one(administrator):
    course = CourseFactory()
    old_session = SessionFactory(course=course, minimum_numbers=0, capacity=1, start=ahead(days=10))
    new_session = SessionFactory(course=course, start=ahead(days=20))
    moving, waiting = _book(old_session, UserFactory(), UserFactory())

    new = services.booking_move(booking=moving, to_session=new_session, by=administrator)

    assert _fresh(moving).status == "moved"
    assert (new.session, new.user, new.status) == (new_session, moving.user, "confirmed")
    assert _fresh(waiting).status == "offered"


def test_moving_to_a_full_session_joins_its_waiting_list(administrator):
    course = CourseFactory()
    old_session = SessionFactory(course=course, start=ahead(days=10))
    full_session = SessionFactory(course=course, minimum_numbers=0, capacity=1, start=ahead(days=20))
    _book(full_session, UserFactory())
    [moving] = _book(old_session, UserFactory())

    new = services.booking_move(booking=moving, to_session=full_session, by=administrator)

    assert new.status == "waitlisted"
    assert waitlist_position(new) == 1


def test_a_move_respects_the_agency_cap_on_the_new_session(administrator):
    course = CourseFactory(agency_cap=1)
    agency = AgencyFactory()
    old_session = SessionFactory(course=course, start=ahead(days=10))
    new_session = SessionFactory(course=course, start=ahead(days=20))
    _book(new_session, UserFactory(agency=agency))
    [moving] = _book(old_session, UserFactory(agency=agency))

    with pytest.raises(AgencyCapReachedError):
        services.booking_move(booking=moving, to_session=new_session, by=administrator)

    assert _fresh(moving).status == "confirmed"


def test_a_booking_cannot_move_to_another_course(administrator):
    [booking] = _book(SessionFactory(start=ahead(days=10)), UserFactory())

    with pytest.raises(BookingStateError, match="same course"):
        services.booking_move(booking=booking, to_session=SessionFactory(start=ahead(days=20)), by=administrator)

    assert _fresh(booking).status == "confirmed"


# Cancelling a session


def test_cancelling_a_session_tells_everyone_booked_or_waiting(administrator, delivered):
    session = SessionFactory(minimum_numbers=0, capacity=1)
    booked, waiting = _book(session, UserFactory(), UserFactory())
    mail.outbox.clear()

    with delivered():
        services.session_cancel(session=session, by=administrator, reason="  Trainer unwell ")

    session.refresh_from_db()
    assert (session.status, session.cancellation_reason) == ("cancelled", "Trainer unwell")
    assert (_fresh(booked).status, _fresh(waiting).status) == ("session_cancelled", "session_cancelled")
    for person in (booked.user, waiting.user):
        [message] = _to(person.email)
        assert message.subject.startswith("Session cancelled")
        assert "Trainer unwell" in message.body


def test_a_session_cannot_be_cancelled_without_a_reason(administrator):
    session = SessionFactory()

    with pytest.raises(BookingStateError, match="Give a reason"):
        services.session_cancel(session=session, by=administrator, reason="   ")

    session.refresh_from_db()
    assert session.status == "scheduled"


# The history trail


def test_every_status_change_is_appended_to_the_history():
    session = SessionFactory(minimum_numbers=0, capacity=1, start=ahead(days=10))
    delegate = UserFactory()
    booking = services.booking_create(session=session, user=delegate)
    first_entry = list(BookingHistory.objects.filter(booking=booking).values())

    services.booking_cancel(booking=booking, by=delegate)

    trail = list(BookingHistory.objects.filter(booking=booking).values("field", "from_value", "to_value", "by"))
    assert trail == [
        {"field": "status", "from_value": "", "to_value": "confirmed", "by": delegate.pk},
        {"field": "status", "from_value": "confirmed", "to_value": "cancelled", "by": delegate.pk},
    ]
    assert list(BookingHistory.objects.filter(booking=booking).values())[:1] == first_entry


def test_a_booking_booked_by_a_coordinator_records_who_booked_it():
    coordinator = UserFactory(role=Role.AGENCY_COORDINATOR)
    booking = services.booking_create(
        session=SessionFactory(), user=UserFactory(agency=coordinator.agency), booked_by=coordinator
    )

    assert list(booking.history.values_list("to_value", "by")) == [("confirmed", coordinator.pk)]


# Registers


@pytest.fixture
def running_session():
    """A session that started two hours ago, with two delegates booked."""
    session = SessionFactory(start=ago(hours=2), capacity=3, minimum_numbers=0)
    BookingFactory.create_batch(2, session=session)
    return session


def _marks(session, *values):
    return dict(zip(session.bookings.order_by("pk").values_list("pk", flat=True), values, strict=True))


def test_the_register_cannot_be_marked_before_the_session_starts():
    session = SessionFactory(start=ahead(hours=1))
    booking = BookingFactory(session=session)

    with pytest.raises(RegisterError, match="opens when the session starts"):
        services.register_mark(session=session, marks={booking.pk: "attended"}, by=_trainer_of(session))

    assert _fresh(booking).attendance == ""


def test_a_cancelled_session_has_no_register(running_session):
    Session.objects.filter(pk=running_session.pk).update(status=Session.Status.CANCELLED)

    with pytest.raises(RegisterError, match="cancelled, so it has no register"):
        services.register_mark(
            session=running_session, marks=_marks(running_session, "attended", "attended"), by=UserFactory()
        )


def test_marking_attendance_records_each_mark_in_the_history(running_session):
    trainer = _trainer_of(running_session)
    marks = _marks(running_session, "attended", "did_not_attend")

    changed = services.register_mark(session=running_session, marks=marks, by=trainer)

    assert changed == 2
    assert dict(running_session.bookings.values_list("pk", "attendance")) == marks
    assert list(
        BookingHistory.objects.filter(field="attendance").order_by("booking").values_list("to_value", "by")
    ) == [("attended", trainer.pk), ("did_not_attend", trainer.pk)]


def test_marks_for_bookings_without_a_place_are_ignored(running_session):
    waiting = BookingFactory(session=running_session, status=Booking.Status.WAITLISTED, queue_number=1)

    changed = services.register_mark(session=running_session, marks={waiting.pk: "attended"}, by=UserFactory())

    assert changed == 0
    assert _fresh(waiting).attendance == ""


def test_the_register_cannot_be_submitted_until_everyone_is_marked(running_session):
    first, _second = running_session.bookings.order_by("pk")
    trainer = _trainer_of(running_session)
    services.register_mark(session=running_session, marks={first.pk: "attended"}, by=trainer)

    with pytest.raises(RegisterError, match="1 not marked yet"):
        services.register_submit(session=running_session, by=trainer)

    running_session.refresh_from_db()
    assert not running_session.register_is_submitted


def test_a_submitted_register_is_locked_for_the_trainer(running_session):
    trainer = _trainer_of(running_session)
    marks = _marks(running_session, "attended", "attended")
    services.register_mark(session=running_session, marks=marks, by=trainer)
    services.register_submit(session=running_session, by=trainer)

    with pytest.raises(RegisterError, match="has been submitted"):
        services.register_mark(session=running_session, marks=dict.fromkeys(marks, "left_early"), by=trainer)

    assert set(running_session.bookings.values_list("attendance", flat=True)) == {"attended"}


def test_an_administrator_can_amend_a_submitted_register_and_the_amendment_is_kept(running_session, administrator):
    trainer = _trainer_of(running_session)
    first, second = _marks(running_session, "attended", "attended")
    services.register_mark(session=running_session, marks={first: "attended", second: "attended"}, by=trainer)
    services.register_submit(session=running_session, by=trainer)

    services.register_mark(session=running_session, marks={second: "arrived_late"}, by=administrator)

    assert Booking.objects.get(pk=second).attendance == "arrived_late"
    trail = BookingHistory.objects.filter(booking_id=second).values_list("from_value", "to_value", "by", "note")
    assert list(trail) == [
        ("", "attended", trainer.pk, ""),
        ("attended", "arrived_late", administrator.pk, "amended after submission"),
    ]


def test_submitting_the_register_asks_each_non_attender_why_and_copies_their_line_manager(running_session, delivered):
    trainer = _trainer_of(running_session)
    attended, absent = running_session.bookings.order_by("pk").select_related("user")
    services.register_mark(
        session=running_session, marks={attended.pk: "attended", absent.pk: "did_not_attend"}, by=trainer
    )

    with delivered():
        services.register_submit(session=running_session, by=trainer)

    # (Those who came are asked to evaluate the course: see tests/evaluations.)
    [message] = [message for message in mail.outbox if message.subject.startswith("You did not attend")]
    assert message.to == [absent.user.email]
    assert message.cc == [absent.user.line_manager_email]
    assert message.subject.startswith("You did not attend")
    assert f"/bookings/{absent.pk}/non-attendance/" in message.body


def test_the_line_manager_is_not_copied_when_the_partnership_turns_that_off(running_session, delivered, settings):
    settings.DNA_COPY_LINE_MANAGER = False
    trainer = _trainer_of(running_session)
    services.register_mark(
        session=running_session, marks=_marks(running_session, "did_not_attend", "attended"), by=trainer
    )

    with delivered():
        services.register_submit(session=running_session, by=trainer)

    [message] = [message for message in mail.outbox if message.subject.startswith("You did not attend")]
    assert message.cc == []


def test_a_walk_in_gets_an_unverified_account_and_an_attended_place(running_session):
    agency = AgencyFactory()

    booking = services.register_walk_in_add(
        session=running_session,
        by=_trainer_of(running_session),
        email=" New.Person@Example.org ",
        first_name="Nia",
        last_name="Newcomer",
        agency=agency,
        job_role="teacher",
    )

    walk_in = booking.user
    assert (booking.status, booking.attendance, booking.is_walk_in) == ("confirmed", "attended", True)
    assert (walk_in.email, walk_in.get_full_name()) == ("new.person@example.org", "Nia Newcomer")
    assert walk_in.agency == agency
    assert not walk_in.has_usable_password()
    assert not walk_in.emailaddress_set.filter(verified=True).exists()
    assert walk_in.groups.filter(name=Role.DELEGATE).exists()


def test_a_walk_in_is_refused_when_every_place_is_taken(running_session):
    BookingFactory(session=running_session)  # the third and last place

    with pytest.raises(RegisterError, match="Every place is taken"):
        services.register_walk_in_add(
            session=running_session, by=UserFactory(), email="late@example.org", first_name="L", last_name="Ate"
        )

    assert not Booking.objects.filter(user__email="late@example.org").exists()


def test_a_delegate_already_on_the_register_is_not_added_twice(running_session):
    booked = running_session.bookings.select_related("user").first().user

    with pytest.raises(RegisterError, match="already on the register"):
        services.register_walk_in_add(
            session=running_session, by=UserFactory(), email=booked.email, first_name="X", last_name="Y"
        )


def test_a_non_attender_can_say_why_and_change_their_answer():
    booking = BookingFactory(session__start=ago(days=2), attendance=Booking.Attendance.DID_NOT_ATTEND)

    services.non_attendance_reason_submit(booking=booking, reason="illness", details="Flu")
    services.non_attendance_reason_submit(booking=booking, reason="work_pressure", details=" Court hearing ")

    answer = NonAttendanceReason.objects.get(booking=booking)
    assert (answer.reason, answer.details) == ("work_pressure", "Court hearing")


def test_only_a_non_attendance_can_be_given_a_reason():
    booking = BookingFactory(session__start=ago(days=2), attendance=Booking.Attendance.ATTENDED)

    with pytest.raises(RegisterError, match="not recorded as a non-attendance"):
        services.non_attendance_reason_submit(booking=booking, reason="illness")

    assert not NonAttendanceReason.objects.exists()


# Reminders and alerts


def test_reminders_go_a_week_and_a_day_before_once_each_with_a_release_link(delivered):
    next_week = BookingFactory(session__start=ahead(days=6), session__course__title="Week Course")
    tomorrow = BookingFactory(session__start=ahead(hours=20), session__course__title="Day Course")
    BookingFactory(session=tomorrow.session, status=Booking.Status.WAITLISTED, queue_number=1)
    BookingFactory(session__start=ahead(days=12))  # too far off for either reminder

    with delivered():
        sent = services.reminders_send()
    with delivered():
        sent_again = services.reminders_send()

    assert (sent, sent_again) == (2, 0)
    assert _subjects(next_week.user.email) == ["Reminder: Week Course in a week"]
    assert _subjects(tomorrow.user.email) == ["Reminder: Day Course tomorrow"]
    assert all("/bookings/release/" in message.body for message in mail.outbox)
    assert len(mail.outbox) == 2


def test_the_day_reminder_follows_the_week_reminder():
    booking = BookingFactory(session__start=ahead(days=6))
    services.reminders_send()

    assert services.reminders_send(now=ahead(days=5, hours=6)) == 1
    booking.refresh_from_db()
    assert booking.reminder_week_sent_at and booking.reminder_day_sent_at


def test_administrators_hear_of_sessions_starting_soon_below_their_minimum(administrator, delivered):
    short = SessionFactory(start=ahead(days=5), minimum_numbers=5, course__title="Short Course")
    BookingFactory(session=short)
    healthy = SessionFactory(start=ahead(days=5), minimum_numbers=1, course__title="Healthy Course")
    BookingFactory(session=healthy)
    SessionFactory(start=ahead(days=20), minimum_numbers=5, course__title="Distant Course")
    SessionFactory(start=ahead(days=5), minimum_numbers=5, status="cancelled", course__title="Cancelled Course")

    with delivered():
        count = services.undersubscription_alert_send()

    assert count == 1
    [message] = mail.outbox
    assert message.to == [administrator.email]
    assert "Short Course" in message.body and "1 booked, minimum 5" in message.body
    assert not [title for title in ("Healthy Course", "Distant Course", "Cancelled Course") if title in message.body]


def test_no_alert_is_sent_when_every_session_has_its_minimum(administrator, delivered):
    BookingFactory(session__start=ahead(days=5), session__minimum_numbers=1)

    with delivered():
        assert services.undersubscription_alert_send() == 0

    assert mail.outbox == []


# The e-mail outbox


def test_an_outbox_email_is_sent_once_however_often_delivery_runs():
    email = email_enqueue(subject="Hello", body="Body\n", to=["someone@example.org"])

    assert email_deliver_now(email_id=email.pk) is True
    assert email_deliver_now(email_id=email.pk) is False

    email.refresh_from_db()
    assert email.sent_at is not None
    assert [message.subject for message in mail.outbox] == ["Hello"]


def test_an_email_written_in_a_transaction_that_rolls_back_is_never_sent(delivered):
    session = SessionFactory()

    with delivered(), contextlib.suppress(RuntimeError), transaction.atomic():
        services.booking_create(session=session, user=UserFactory())
        raise RuntimeError("something after the booking failed")

    assert not Booking.objects.filter(session=session).exists()
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_every_refusal_is_a_booking_error_with_a_message_for_people():
    session = SessionFactory(status=Session.Status.CANCELLED)

    with pytest.raises(BookingError) as refusal:
        services.booking_create(session=session, user=UserFactory())

    assert str(refusal.value.message).endswith("Choose another session of the course.")
