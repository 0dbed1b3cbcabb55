import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bookings.models import Booking
from courses.models import CourseFormat, CourseView, Session
from courses.services import course_view_record
from tests.dates import ago, ahead, at, month_start
from tests.factories import BookingFactory, CourseFactory, PriorityFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

ERROR_SUMMARY = "There is a problem"


def _calendar(client, **params):
    return client.get(reverse("courses:calendar"), params)


def _month(client, **params):
    return client.get(reverse("courses:calendar_month"), params)


def _page(response):
    assert response.status_code == 200
    return response.content.decode()


# The calendar list


def test_calendar_shows_upcoming_sessions_and_not_past_ones(client):
    SessionFactory(course__title="Upcoming Neglect Course", start=ahead(days=3))
    SessionFactory(course__title="Finished Neglect Course", start=ago(days=3))

    page = _page(_calendar(client))

    assert "Upcoming Neglect Course" in page
    assert "Finished Neglect Course" not in page
    assert "1 session" in page


def test_calendar_for_a_past_month_shows_its_sessions(client):
    last_month = month_start(-1)
    SessionFactory(course__title="Finished Neglect Course", start=at(last_month.replace(day=12)))

    page = _page(_calendar(client, month=f"{last_month:%Y-%m}"))

    assert "Finished Neglect Course" in page
    assert f"Sessions in {last_month:%B %Y}" in page


@pytest.mark.parametrize(
    ("param", "value", "wanted"),
    [
        ("q", "exploitation", "Child Exploitation"),
        ("format", "briefing", "Lunchtime Prevent Briefing"),
        ("level", "leaders", "Designated Leads Forum"),
        ("venue", "online", "Lunchtime Prevent Briefing"),
    ],
)
def test_each_filter_narrows_the_calendar(client, param, value, wanted):
    SessionFactory(course__title="Child Exploitation", course__level="level_2")
    SessionFactory(
        course__title="Lunchtime Prevent Briefing",
        course__format=CourseFormat.BRIEFING,
        venue=None,
        online_url="https://meet.example.org/prevent",
    )
    SessionFactory(course__title="Designated Leads Forum", course__level="leaders")
    titles = {"Child Exploitation", "Lunchtime Prevent Briefing", "Designated Leads Forum"}

    page = _page(_calendar(client, **{param: value}))

    assert [title for title in titles if title in page] == [wanted]


def test_venue_filter_by_venue_id(client):
    wanted = SessionFactory(course__title="At The Hub")
    SessionFactory(course__title="Elsewhere")

    page = _page(_calendar(client, venue=str(wanted.venue_id)))

    assert "At The Hub" in page
    assert "Elsewhere" not in page


def test_month_filter_narrows_the_calendar(client):
    this_one, other = month_start(1), month_start(2)
    SessionFactory(course__title="In The Chosen Month", start=at(this_one.replace(day=15)))
    SessionFactory(course__title="In Another Month", start=at(other.replace(day=15)))

    page = _page(_calendar(client, month=f"{this_one:%Y-%m}"))

    assert "In The Chosen Month" in page
    assert "In Another Month" not in page


def test_a_course_with_two_priorities_appears_once_under_its_priority(client):
    neglect = PriorityFactory(slug="neglect", name="Neglect")
    early_help = PriorityFactory(slug="early-help", name="Early help")
    session = SessionFactory(course__title="Hard To Help Families")
    session.course.priorities.add(neglect, early_help)
    SessionFactory(course__title="Unrelated Course")

    page = _page(_calendar(client, priority="neglect"))

    assert page.count("Hard To Help Families") == 1
    assert "Unrelated Course" not in page


def test_places_left_count_only_confirmed_bookings(client):
    session = SessionFactory(capacity=4, minimum_numbers=0)
    BookingFactory(session=session)
    BookingFactory(session=session, status=Booking.Status.WAITLISTED)
    BookingFactory(session=session, status=Booking.Status.CANCELLED)

    page = _page(_calendar(client))

    assert "3 places left" in page


def test_one_place_left_is_singular(client):
    BookingFactory(session=SessionFactory(capacity=2, minimum_numbers=0))

    assert "1 place left" in _page(_calendar(client))


def test_session_is_full_once_confirmed_bookings_reach_capacity(client):
    session = SessionFactory(capacity=2, minimum_numbers=0)
    BookingFactory.create_batch(2, session=session)
    BookingFactory(session=session, status=Booking.Status.WAITLISTED)

    page = _page(_calendar(client))

    assert "Full – join the waiting list" in page
    assert "places left" not in page


def test_waitlisted_and_cancelled_bookings_do_not_fill_a_session(client):
    session = SessionFactory(capacity=2, minimum_numbers=0)
    BookingFactory(session=session, status=Booking.Status.WAITLISTED)
    BookingFactory(session=session, status=Booking.Status.CANCELLED)
    BookingFactory(session=session, status=Booking.Status.LATE_CANCELLED)

    page = _page(_calendar(client))

    assert "Full – join the waiting list" not in page
    assert "2 places left" in page


def test_offered_places_and_places_awaiting_approval_are_taken(client):
    session = SessionFactory(capacity=3, minimum_numbers=0)
    BookingFactory(session=session, status=Booking.Status.OFFERED)
    BookingFactory(session=session, status=Booking.Status.PENDING_APPROVAL)

    assert "1 place left" in _page(_calendar(client))


def test_cancelled_session_shows_cancelled_not_places(client):
    SessionFactory(status=Session.Status.CANCELLED, cancellation_reason="Trainer unwell")

    page = _page(_calendar(client))

    assert "Cancelled" in page
    assert "places left" not in page


def test_unpublished_course_is_not_on_the_calendar(client):
    SessionFactory(course__title="Draft Course Not Ready", course__is_published=False)

    page = _page(_calendar(client))

    assert "Draft Course Not Ready" not in page
    assert "No sessions match these filters" in page


def test_calendar_pages_through_many_sessions(client, settings):
    settings.CALENDAR_PAGE_SIZE = 2
    for day in range(1, 6):
        SessionFactory(course__title=f"Course On Day {day}", start=ahead(days=day))

    page = _page(_calendar(client, page="2"))

    assert "Page 2 of 3" in page
    assert "Course On Day 3" in page
    assert "Course On Day 1" not in page


def test_pagination_links_keep_the_filters(client, settings):
    settings.CALENDAR_PAGE_SIZE = 1
    SessionFactory.create_batch(2, course__format=CourseFormat.BRIEFING)

    page = _page(_calendar(client, format="briefing"))

    assert 'href="?format=briefing&amp;page=2"' in page


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
        {"month": "1066-10"},
        {"q": "neglect " * 50},
        {"q": "\x00"},
    ],
)
def test_an_invalid_filter_shows_the_error_summary_not_a_500(client, params):
    SessionFactory(course__title="Neglect For Everyone")

    page = _page(_calendar(client, **params))

    assert ERROR_SUMMARY in page
    assert "Correct the filters to see sessions." in page
    assert "Neglect For Everyone" not in page


@pytest.mark.parametrize("page_number", ["999999", "-1", "0", "abc", ""])
def test_an_odd_page_number_still_shows_a_page(client, page_number):
    SessionFactory(course__title="Neglect For Everyone")

    page = _page(_calendar(client, page=page_number))

    assert ERROR_SUMMARY not in page
    assert "Neglect For Everyone" in page


def test_calendar_only_answers_get(client):
    assert client.post(reverse("courses:calendar")).status_code == 405


# The month view


def _cell_text_of(page, text):
    """The visible text of the month grid's day cell that contains `text`."""
    for cell in re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', page, re.S):
        if text in cell:
            return " ".join(re.sub(r"<[^>]+>", " ", cell).split())
    raise AssertionError(f"no day cell contains {text!r}")


def test_month_view_puts_a_session_in_its_day(client):
    month = month_start(1)
    day = month.replace(day=10)
    SessionFactory(course__title="Neglect Workshop", start=at(day, 13, 0))

    page = _page(_month(client, month=f"{month:%Y-%m}"))

    assert _cell_text_of(page, "Neglect Workshop") == f"{day:%A} 10 {day:%B} 1pm Neglect Workshop"


def test_month_view_shows_this_month_by_default(client):
    today = timezone.localdate()
    SessionFactory(course__title="Happening This Month", start=at(today, 23, 0), end=at(today, 23, 30))

    page = _page(_month(client))

    assert f"{today:%B %Y}" in page
    assert "Happening This Month" in page


def test_month_view_marks_full_and_cancelled_sessions(client):
    month = month_start(1)
    full = SessionFactory(course__title="Packed Course", start=at(month.replace(day=3)), capacity=1, minimum_numbers=0)
    BookingFactory(session=full)
    SessionFactory(course__title="Called Off Course", start=at(month.replace(day=4)), status=Session.Status.CANCELLED)

    page = _page(_month(client, month=f"{month:%Y-%m}"))

    assert "Packed Course (full)" in page
    assert "Called Off Course (cancelled)" in page


def test_month_view_links_to_previous_and_next_months_keeping_the_filters(client):
    month = month_start(1)

    page = _page(_month(client, month=f"{month:%Y-%m}", format="briefing", page="3"))

    assert f'href="?format=briefing&amp;month={month_start(0):%Y-%m}" rel="prev"' in page
    assert f'href="?format=briefing&amp;month={month_start(2):%Y-%m}" rel="next"' in page


def test_month_view_applies_the_other_filters(client):
    month = month_start(1)
    SessionFactory(
        course__title="Lunchtime Briefing", course__format=CourseFormat.BRIEFING, start=at(month.replace(day=5))
    )
    SessionFactory(course__title="Whole Day Course", start=at(month.replace(day=5)))

    page = _page(_month(client, month=f"{month:%Y-%m}", format="briefing"))

    assert "Lunchtime Briefing" in page
    assert "Whole Day Course" not in page


def test_month_view_around_the_year_end(client):
    page = _page(_month(client, month="2026-12"))

    assert 'month=2026-11" rel="prev"' in page
    assert 'month=2027-01" rel="next"' in page


@pytest.mark.parametrize(
    "params",
    [
        {"month": "2026-13"},
        {"month": "abc"},
        {"format": "bogus"},
        {"venue": "abc"},
        {"priority": "nope"},
    ],
)
def test_month_view_with_an_invalid_filter_shows_the_error_summary(client, params):
    SessionFactory(course__title="Happening Soon")

    page = _page(_month(client, **params))

    assert ERROR_SUMMARY in page
    assert "Happening Soon" not in page


# The course page


def test_course_page_shows_the_course_and_its_upcoming_sessions(client):
    course = CourseFactory(
        title="Neglect – An Analytical Approach", learning_outcomes="Use the graded care profile\nShare a concern"
    )
    SessionFactory(course=course, start=ahead(days=10), capacity=10, minimum_numbers=0)

    page = _page(client.get(course.get_absolute_url()))

    assert "Neglect – An Analytical Approach" in page
    assert "<li>Use the graded care profile</li>" in page
    assert "10 places left" in page


def test_course_page_counts_past_sessions_that_ran(client):
    course = CourseFactory()
    SessionFactory.create_batch(2, course=course, start=ago(days=40))
    SessionFactory(course=course, start=ago(days=20), status=Session.Status.CANCELLED)

    page = _page(client.get(course.get_absolute_url()))

    assert "This course has run 2 times before." in page


def test_course_page_without_sessions_says_none_are_planned(client):
    course = CourseFactory()

    page = _page(client.get(course.get_absolute_url()))

    assert "There are no sessions of this course planned at the moment." in page
    assert "This course has run 0 times before." in page


def test_unknown_course_is_404(client):
    assert client.get(reverse("courses:course_detail", args=["no-such-course"])).status_code == 404


def test_unpublished_course_page_is_404_and_counts_no_view(client):
    course = CourseFactory(is_published=False)

    response = client.get(course.get_absolute_url())

    assert response.status_code == 404
    assert not CourseView.objects.exists()


def test_anonymous_viewer_is_counted_once_a_day(client):
    course = CourseFactory()

    client.get(course.get_absolute_url())
    client.get(course.get_absolute_url())

    [view] = CourseView.objects.filter(course=course)
    assert view.viewed_on == timezone.localdate()
    assert view.viewer_key.startswith("anon:")


def test_two_anonymous_browsers_are_two_viewers(client):
    course = CourseFactory()

    client.get(course.get_absolute_url())
    Client().get(course.get_absolute_url())

    assert CourseView.objects.filter(course=course).values("viewer_key").distinct().count() == 2


def test_signed_in_viewer_is_counted_once_a_day(client):
    user = UserFactory()
    course = CourseFactory()
    client.force_login(user)

    client.get(course.get_absolute_url())
    client.get(course.get_absolute_url())

    assert list(CourseView.objects.values_list("course", "viewer_key", "viewed_on")) == [
        (course.pk, f"user:{user.pk}", timezone.localdate())
    ]


def test_a_view_on_another_day_counts_again(client):
    user = UserFactory()
    course = CourseFactory()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    course_view_record(course=course, viewer_key=f"user:{user.pk}", on=yesterday)
    client.force_login(user)

    client.get(course.get_absolute_url())

    assert sorted(CourseView.objects.values_list("viewed_on", flat=True)) == [yesterday, timezone.localdate()]


def test_views_of_different_courses_are_counted_apart(client):
    first, second = CourseFactory(), CourseFactory()

    client.get(first.get_absolute_url())
    client.get(second.get_absolute_url())

    assert CourseView.objects.filter(course=first).count() == 1
    assert CourseView.objects.filter(course=second).count() == 1


# iCal feeds


def _events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_programme_feed_has_one_event_per_published_session_from_a_year_ago(client):
    recent = SessionFactory(start=ago(days=300))
    upcoming = SessionFactory(start=ahead(days=30), venue=None, online_url="https://meet.example.org/x")
    SessionFactory(start=ago(days=400))
    SessionFactory(course__is_published=False)

    events = _events(client.get(reverse("courses:programme_ics")))

    assert sorted(str(event["UID"]) for event in events) == sorted(
        f"session-{session.pk}@127.0.0.1:8000" for session in (recent, upcoming)
    )


def test_programme_feed_event_carries_the_sessions_details(client):
    session = SessionFactory(course__title="Neglect Workshop", venue__name="Northgate Family Hub")

    [event] = _events(client.get(reverse("courses:programme_ics")))

    assert event.decoded("DTSTART") == session.start
    assert event.decoded("DTEND") == session.end
    assert str(event["SUMMARY"]) == "Neglect Workshop"
    assert str(event["LOCATION"]) == "Northgate Family Hub"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]).endswith(session.course.get_absolute_url())


def test_programme_feed_marks_cancelled_sessions(client):
    SessionFactory(status=Session.Status.CANCELLED)

    [event] = _events(client.get(reverse("courses:programme_ics")))

    assert str(event["STATUS"]) == "CANCELLED"


def test_course_feed_has_only_that_courses_sessions(client):
    course = CourseFactory()
    mine = SessionFactory.create_batch(2, course=course)
    SessionFactory()

    events = _events(client.get(reverse("courses:course_ics", args=[course.slug])))

    assert sorted(event.decoded("DTSTART") for event in events) == sorted(s.start for s in mine)
    assert {str(event["SUMMARY"]) for event in events} == {course.title}


def test_course_feed_of_an_unknown_or_unpublished_course_is_404(client):
    hidden = CourseFactory(is_published=False)

    assert client.get(reverse("courses:course_ics", args=["no-such-course"])).status_code == 404
    assert client.get(reverse("courses:course_ics", args=[hidden.slug])).status_code == 404
