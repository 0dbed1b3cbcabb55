"""The dashboard and training_report run a fixed number of SQL queries however
much there is to count: each is measured with a small partnership, then with
one ten times the size (more courses, agencies, sectors, priorities, roles,
sessions, bookings, views and evaluations), in this year and the year before."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import JobRole, Sector
from accounts.roles import Role
from bookings.models import Booking
from core.periods import Period
from courses.models import CourseView, Session
from reports.training_report import training_report
from tests.factories import AgencyFactory, CourseFactory, PriorityFactory, UserFactory, VenueFactory

pytestmark = pytest.mark.django_db

YEAR = Period(dt.date(2023, 4, 1), dt.date(2024, 3, 31))
STATUSES = ["confirmed", "confirmed", "confirmed", "waitlisted", "cancelled", "late_cancelled"]
ATTENDANCE = ["attended", "did_not_attend", "left_early", "arrived_late", ""]


def partnership(size: int):
    """`size` courses with two priorities each, 2×size agencies across the
    sectors, 3×size delegates, and four sessions a course (one cancelled, one
    the year before), each with bookings of every kind."""
    sectors = list(Sector.objects.all())
    priorities = [PriorityFactory() for _n in range(size)]
    agencies = [AgencyFactory(sector=sectors[n % len(sectors)], contributes=n % 3 == 0) for n in range(2 * size)]
    roles = itertools.cycle(JobRole.values)
    people = [UserFactory(agency=agencies[n % len(agencies)], job_role=next(roles)) for n in range(3 * size)]
    venue = VenueFactory()
    for index in range(size):
        course = CourseFactory(format=["briefing", "half_day", "full_day"][index % 3])
        course.priorities.add(priorities[index], priorities[(index + 1) % size])
        starts = [dt.datetime(2023, 5 + month, 10, 9, 0, tzinfo=dt.UTC) for month in (0, 3, 6)]
        starts.append(dt.datetime(2022, 6, 10, 9, 0, tzinfo=dt.UTC))
        for number, start in enumerate(starts):
            session = Session.objects.create(
                course=course,
                venue=venue,
                start=start,
                end=start + dt.timedelta(hours=3),
                capacity=20,
                minimum_numbers=10,
                status="cancelled" if number == 1 else "scheduled",
            )
            Booking.objects.bulk_create(
                Booking(
                    session=session,
                    user=person,
                    status=STATUSES[n % len(STATUSES)],
                    attendance=ATTENDANCE[n % len(ATTENDANCE)] if STATUSES[n % len(STATUSES)] == "confirmed" else "",
                )
                for n, person in enumerate(people)
            )
        CourseView.objects.bulk_create(
            CourseView(course=course, viewer_key=f"v{n}", viewed_on=dt.date(2023, 6, 1)) for n in range(3)
        )


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


@pytest.fixture
def reviewer_client(client):
    client.force_login(UserFactory(role=Role.PPT_REVIEWER))
    return client


def _dashboard(client, **params):
    def call():
        response = client.get(reverse("reports:dashboard"), {"start": "2023-04-01", "end": "2024-03-31", **params})
        assert response.status_code == 200
        assert response.context["data"].report.courses

    return call


@pytest.mark.parametrize("params", [{}, {"sector": "sector"}, {"courses-sort": "-attended", "format": "briefing"}])
def test_the_dashboard_runs_the_same_queries_for_a_small_and_a_large_partnership(reviewer_client, params):
    if "sector" in params:
        params = {"sector": Sector.objects.get(slug="children_social_care").pk}
    partnership(2)
    small = _queries(_dashboard(reviewer_client, **params))

    partnership(20)
    large = _queries(_dashboard(reviewer_client, **params))

    assert small == large, (small, large)
    assert large <= 30


def test_training_report_runs_the_same_queries_for_a_small_and_a_large_partnership():
    partnership(2)
    small = _queries(lambda: training_report(YEAR))

    partnership(20)
    large = _queries(lambda: training_report(YEAR))

    assert small == large, (small, large)
    assert large <= 17
