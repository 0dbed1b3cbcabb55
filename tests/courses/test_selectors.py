import datetime as dt

import pytest

from bookings.models import Booking
from courses import selectors
from courses.models import CourseFormat, CourseLevel, Session
from courses.services import course_view_record
from tests.dates import ago, ahead, at, month_start
from tests.factories import (
    BookingFactory,
    CourseFactory,
    PriorityFactory,
    SessionFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def _listed(params=None):
    """The sessions the calendar list shows for some GET parameters."""
    return list(selectors.calendar_sessions(selectors.calendar_filter(params or {})))


def test_calendar_lists_upcoming_sessions_only():
    upcoming = SessionFactory(start=ahead(days=3))
    SessionFactory(start=ago(days=3))

    assert _listed() == [upcoming]


def test_calendar_keeps_a_session_that_has_started_but_not_ended():
    running = SessionFactory(start=ago(hours=1))

    assert _listed() == [running]


def test_calendar_lists_sessions_soonest_first():
    later = SessionFactory(start=ahead(days=20))
    sooner = SessionFactory(start=ahead(days=2))

    assert _listed() == [sooner, later]


def test_choosing_a_month_lists_that_months_sessions_past_ones_included():
    last_month = month_start(-1)
    past_in_month = SessionFactory(start=at(last_month.replace(day=10)))
    SessionFactory(start=at(month_start(-2).replace(day=10)))
    SessionFactory(start=ahead(days=3))

    assert _listed({"month": f"{last_month:%Y-%m}"}) == [past_in_month]


def test_month_filter_follows_london_time_at_the_months_edges():
    # 00:30 on 1 July in London is 23:30 on 30 June in UTC (British Summer Time).
    first_of_july = SessionFactory(start=at(dt.date(2026, 7, 1), 0, 30))
    last_of_june = dt.date(2026, 6, 30)
    SessionFactory(start=at(last_of_june, 23, 0), end=at(last_of_june, 23, 59))

    assert _listed({"month": "2026-07"}) == [first_of_july]


def test_unpublished_courses_are_not_listed():
    SessionFactory(course__is_published=False)

    assert _listed() == []


def test_search_matches_words_of_the_title_or_summary():
    neglect = SessionFactory(course__title="Neglect – An Analytical Approach")
    graded = SessionFactory(course__title="Assessment tools", course__summary="Using the graded care profile")
    SessionFactory(course__title="Domestic Abuse Awareness")

    assert _listed({"q": "neglect"}) == [neglect]
    assert _listed({"q": "GRADED care"}) == [graded]


def test_search_needs_every_word_to_match():
    SessionFactory(course__title="Neglect – An Analytical Approach")

    assert _listed({"q": "neglect abuse"}) == []


def test_priority_filter_lists_courses_with_that_priority():
    neglect = PriorityFactory(slug="neglect", name="Neglect")
    SessionFactory(course__title="Other")
    wanted = SessionFactory()
    wanted.course.priorities.add(neglect)

    assert _listed({"priority": "neglect"}) == [wanted]


def test_a_course_with_two_priorities_is_listed_once():
    neglect = PriorityFactory(slug="neglect", name="Neglect")
    early_help = PriorityFactory(slug="early-help", name="Early help")
    session = SessionFactory()
    session.course.priorities.add(neglect, early_help)

    assert _listed() == [session]
    assert _listed({"priority": "neglect"}) == [session]


def test_format_filter():
    briefing = SessionFactory(course__format=CourseFormat.BRIEFING)
    SessionFactory(course__format=CourseFormat.FULL_DAY)

    assert _listed({"format": "briefing"}) == [briefing]


def test_level_filter():
    leaders = SessionFactory(course__level=CourseLevel.LEADERS)
    SessionFactory(course__level=CourseLevel.LEVEL_1)

    assert _listed({"level": "leaders"}) == [leaders]


def test_venue_filter():
    hub = VenueFactory(name="Northgate Family Hub")
    at_hub = SessionFactory(venue=hub)
    SessionFactory()

    assert _listed({"venue": str(hub.pk)}) == [at_hub]


def test_venue_filter_online_lists_sessions_without_a_venue():
    online = SessionFactory(venue=None, online_url="https://meet.example.org/x")
    SessionFactory()

    assert _listed({"venue": "online"}) == [online]


def test_filters_combine():
    briefing = CourseFactory(format=CourseFormat.BRIEFING, level=CourseLevel.LEVEL_1)
    wanted = SessionFactory(course=briefing, venue=None, online_url="https://meet.example.org/x")
    SessionFactory(course=briefing)
    SessionFactory(course__format=CourseFormat.FULL_DAY, venue=None, online_url="https://meet.example.org/x")

    assert _listed({"format": "briefing", "venue": "online", "level": "level_1"}) == [wanted]


@pytest.mark.parametrize(
    "params",
    [
        {"format": "bogus"},
        {"level": "level_9"},
        {"priority": "nope"},
        {"venue": "999999"},
        {"venue": "abc"},
        {"month": "2026-13"},
        {"month": "abc"},
        {"q": "x" * 101},
    ],
)
def test_an_invalid_filter_lists_nothing_and_reports_the_error(params):
    SessionFactory()
    filterset = selectors.calendar_filter(params)

    assert list(selectors.calendar_sessions(filterset)) == []
    assert set(filterset.errors) == set(params)


def test_places_left_counts_confirmed_bookings_only():
    session = SessionFactory(capacity=5, minimum_numbers=0)
    BookingFactory.create_batch(2, session=session)
    BookingFactory(session=session, status=Booking.Status.WAITLISTED)
    BookingFactory(session=session, status=Booking.Status.CANCELLED)
    BookingFactory(session=session, status=Booking.Status.LATE_CANCELLED)

    [listed] = _listed()

    assert listed.places_left == 3


def test_places_left_never_goes_below_zero():
    session = SessionFactory(capacity=1, minimum_numbers=0)
    BookingFactory.create_batch(2, session=session)

    [listed] = _listed()

    assert listed.places_left == 0


def test_course_past_session_count_ignores_cancelled_and_upcoming_sessions():
    course = CourseFactory()
    SessionFactory.create_batch(2, course=course, start=ago(days=30))
    SessionFactory(course=course, start=ago(days=20), status=Session.Status.CANCELLED)
    SessionFactory(course=course, start=ahead(days=5))
    SessionFactory(start=ago(days=30))

    assert selectors.course_past_session_count(course) == 2


def test_course_upcoming_sessions_are_that_courses_from_now_on():
    course = CourseFactory()
    upcoming = SessionFactory(course=course, start=ahead(days=5))
    SessionFactory(course=course, start=ago(days=5))
    SessionFactory(start=ahead(days=5))

    assert list(selectors.course_upcoming_sessions(course)) == [upcoming]


def test_course_views_count_counts_distinct_viewers_between_dates_inclusive():
    course = CourseFactory()
    first, last = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
    course_view_record(course=course, viewer_key="user:1", on=first)
    course_view_record(course=course, viewer_key="user:1", on=dt.date(2026, 10, 2))
    course_view_record(course=course, viewer_key="anon:abc", on=last)
    course_view_record(course=course, viewer_key="user:2", on=dt.date(2026, 9, 30))
    course_view_record(course=course, viewer_key="user:3", on=dt.date(2026, 11, 1))
    course_view_record(course=CourseFactory(), viewer_key="user:4", on=first)

    assert selectors.course_views_count(course, start=first, end=last) == 2


def test_programme_feed_has_published_sessions_from_the_date_given():
    since = ago(days=365)
    recent = SessionFactory(start=ago(days=300))
    upcoming = SessionFactory(start=ahead(days=30))
    cancelled = SessionFactory(start=ahead(days=40), status=Session.Status.CANCELLED)
    SessionFactory(start=ago(days=400))
    SessionFactory(course__is_published=False)

    assert list(selectors.programme_feed_sessions(since=since)) == [recent, upcoming, cancelled]
