"""The calendar pages run a fixed number of SQL queries however many sessions
there are: each is measured with 10 sessions, then with 1,000."""

import calendar
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import Booking
from courses.models import Session
from tests.dates import ahead, at, month_start
from tests.factories import CourseFactory, PriorityFactory, UserFactory, VenueFactory

pytestmark = pytest.mark.django_db

FEW, MANY = 10, 1_000
NEXT_MONTH = month_start(1)


def _start(index):
    """Three in five sessions fall in next month, one in this month (some of
    them past), one spread over the months after."""
    match index % 5:
        case 0:
            this_month = month_start(0)
            days = calendar.monthrange(this_month.year, this_month.month)[1]
            return at(this_month.replace(day=1 + index % days), 10)
        case 1 | 2 | 3:
            return at(NEXT_MONTH.replace(day=1 + index % 28), 9 + index % 8)
        case _:
            return ahead(days=62 + index % 300)


class Programme:
    """Sessions with bookings, made in bulk so a thousand take a moment."""

    def __init__(self, courses):
        self.courses = courses
        self.venues = [VenueFactory(), VenueFactory(), None]
        self.delegates = UserFactory.create_batch(3)
        self.size = 0

    def grow_to(self, total):
        sessions = Session.objects.bulk_create(
            [
                Session(
                    course=self.courses[index % len(self.courses)],
                    start=_start(index),
                    end=_start(index) + dt.timedelta(hours=3),
                    venue=self.venues[index % 3],
                    online_url="https://meet.example.org/x" if index % 3 == 2 else "",
                    capacity=2 + index % 3,
                    minimum_numbers=0,
                    status=Session.Status.CANCELLED if index % 17 == 0 else Session.Status.SCHEDULED,
                )
                for index in range(self.size, total)
            ]
        )
        Booking.objects.bulk_create(
            [
                Booking(
                    session=session,
                    user=delegate,
                    status=Booking.Status.WAITLISTED if n == 2 else Booking.Status.CONFIRMED,
                )
                for session in sessions
                for n, delegate in enumerate(self.delegates)
            ]
        )
        self.size = total

    def in_next_month(self):
        return Session.objects.filter(start__gte=at(NEXT_MONTH, 0, 0), start__lt=at(month_start(2), 0, 0)).count()


@pytest.fixture
def courses():
    priorities = [PriorityFactory(), PriorityFactory()]
    made = CourseFactory.create_batch(10)
    for course in made:
        course.priorities.add(*priorities)
    return made


PAGES = {
    "calendar list": lambda courses: reverse("courses:calendar"),
    "calendar list, filtered": lambda courses: reverse("courses:calendar") + "?format=full_day&venue=online",
    "calendar list, a month": lambda courses: reverse("courses:calendar") + f"?month={NEXT_MONTH:%Y-%m}",
    "month view": lambda courses: reverse("courses:calendar_month") + f"?month={NEXT_MONTH:%Y-%m}",
    "month view, filtered": lambda courses: (
        reverse("courses:calendar_month") + f"?month={NEXT_MONTH:%Y-%m}&level=level_2"
    ),
    "course page": lambda courses: courses[0].get_absolute_url(),
}

# Generous ceilings: a page that creeps towards one of these has grown a query
# per row or per widget somewhere.
CEILING = {"anonymous": 8, "signed in": 12}


def _signed_in(client, who):
    if who == "signed in":
        client.force_login(UserFactory())


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "signed in"])
@pytest.mark.parametrize("view", list(PAGES))
def test_page_runs_the_same_queries_for_ten_sessions_as_for_a_thousand(
    client, courses, django_assert_num_queries, django_assert_max_num_queries, view, who
):
    # The course page shows one course's sessions; the calendar pages show all courses'.
    programme = Programme(courses[:1] if view == "course page" else courses)
    url = PAGES[view](courses)
    _signed_in(client, who)
    programme.grow_to(FEW)
    client.get(url)  # the first visit starts the browser's session; later ones only read it
    few, _ = _queries(client, url)

    programme.grow_to(MANY)
    with django_assert_num_queries(few), django_assert_max_num_queries(CEILING[who]):
        response = client.get(url)

    assert response.status_code == 200


def test_the_month_view_shows_every_session_of_a_busy_month(client, courses):
    programme = Programme(courses)
    programme.grow_to(MANY)

    _, page = _queries(client, reverse("courses:calendar_month") + f"?month={NEXT_MONTH:%Y-%m}")

    assert programme.in_next_month() >= 600
    assert page.count("app-calendar-month__session") == programme.in_next_month()


def test_the_list_shows_one_page_of_a_thousand_sessions(client, courses, settings):
    Programme(courses).grow_to(MANY)

    _, page = _queries(client, reverse("courses:calendar"))

    assert page.count('class="govuk-summary-card__title"') == settings.CALENDAR_PAGE_SIZE
