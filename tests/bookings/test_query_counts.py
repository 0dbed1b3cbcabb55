"""The bookings pages run a fixed number of SQL queries however many bookings
they show: each is measured with a few bookings, then with many."""

import datetime as dt
import re
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import JobRole, User
from accounts.roles import Role
from bookings.models import Booking
from courses.models import Session
from tests.dates import ago, ahead
from tests.factories import AgencyFactory, CourseFactory, SessionFactory, TrainerFactory, UserFactory, VenueFactory

pytestmark = pytest.mark.django_db

FEW, MANY = 3, 60
_serial = count()


def _people(number, agencies):
    """Delegates made in bulk, spread over the agencies (None: no agency)."""
    made = []
    for _ in range(number):
        n = next(_serial)
        made.append(
            User(
                email=f"bulk{n}@example.org",
                first_name="Bulk",
                last_name=f"Delegate{n:04}",
                agency=agencies[n % len(agencies)],
                job_role=JobRole.values[n % len(JobRole.values)],
            )
        )
    return User.objects.bulk_create(made)


def _sessions(number, *, start, courses, venues):
    return Session.objects.bulk_create(
        [
            Session(
                course=courses[n % len(courses)],
                start=start + dt.timedelta(days=n),
                end=start + dt.timedelta(days=n, hours=3),
                venue=venues[n % len(venues)],
                online_url="https://meet.example.org/room" if venues[n % len(venues)] is None else "",
                capacity=MANY,
                minimum_numbers=0,
            )
            for n in range(number)
        ]
    )


def _queue(session, people, *, places):
    """Bookings on one session: the first `places` confirmed, the rest waiting."""
    already = session.bookings.count()
    return [
        Booking(
            session=session,
            user=person,
            status=Booking.Status.CONFIRMED if already + n < places else Booking.Status.WAITLISTED,
            queue_number=None if already + n < places else already + n + 1,
            needs_hearing_loop=n % 3 == 0,
        )
        for n, person in enumerate(people)
    ]


def _booking_links(page):
    return len(re.findall(r'href="/bookings/\d+/"', page))


class RegisterPage:
    """A running session's register, seen by its trainer."""

    def __init__(self):
        self.session = SessionFactory(start=ago(hours=1), capacity=MANY, minimum_numbers=0)
        self.viewer = UserFactory(role=Role.TRAINER)
        self.session.trainers.add(TrainerFactory(user=self.viewer), TrainerFactory())
        self.agencies = [AgencyFactory(), AgencyFactory(), None]
        self.url = reverse("bookings:register", args=[self.session.pk])

    def add(self, number):
        Booking.objects.bulk_create(
            Booking(
                session=self.session,
                user=person,
                status=Booking.Status.CONFIRMED,
                attendance=Booking.Attendance.ATTENDED if n % 2 else "",
                is_walk_in=n % 5 == 0,
            )
            for n, person in enumerate(_people(number, self.agencies))
        )

    def rows(self, page):
        return page.count('class="govuk-form-group app-register-row"')


class BookPage:
    """The booking form for a session that fills and grows a waiting list."""

    def __init__(self):
        self.session = SessionFactory(start=ahead(days=10), capacity=FEW + 1, minimum_numbers=0)
        self.viewer = UserFactory(role=Role.DELEGATE)
        self.agencies = [AgencyFactory(), None]
        self.url = reverse("bookings:book", args=[self.session.pk])

    def add(self, number):
        Booking.objects.bulk_create(_queue(self.session, _people(number, self.agencies), places=FEW + 1))

    def rows(self, page):
        # The form shows no list, only whether a place is left; count what it was drawn from.
        return self.session.bookings.count()


class MyBookingsPage:
    """One delegate's bookings: upcoming, waiting, past attended and missed."""

    def __init__(self):
        self.viewer = UserFactory(role=Role.DELEGATE)
        self.courses = CourseFactory.create_batch(3)
        self.venues = [VenueFactory(), None]
        self.url = reverse("bookings:my_bookings")

    def add(self, number):
        upcoming = _sessions(number - number // 2, start=ahead(days=2), courses=self.courses, venues=self.venues)
        past = _sessions(number // 2, start=ago(days=300), courses=self.courses, venues=self.venues)
        Booking.objects.bulk_create(
            [
                Booking(
                    session=session,
                    user=self.viewer,
                    status=Booking.Status.WAITLISTED if n % 2 else Booking.Status.CONFIRMED,
                    queue_number=1 if n % 2 else None,
                )
                for n, session in enumerate(upcoming)
            ]
            + [
                Booking(
                    session=session,
                    user=self.viewer,
                    status=Booking.Status.CONFIRMED,
                    attendance=Booking.Attendance.DID_NOT_ATTEND if n % 2 else Booking.Attendance.ATTENDED,
                )
                for n, session in enumerate(past)
            ]
        )

    def rows(self, page):
        return _booking_links(page)


class AgencyBookingsPage:
    """A coordinator's list of their agency's bookings and non-attendance."""

    def __init__(self):
        self.viewer = UserFactory(role=Role.AGENCY_COORDINATOR)
        self.other_agency = AgencyFactory()
        self.sessions = [
            SessionFactory(start=ahead(days=5), capacity=MANY, minimum_numbers=0),
            SessionFactory(start=ago(days=20), capacity=MANY, minimum_numbers=0),
        ]
        self.url = reverse("bookings:agency_bookings")

    def add(self, number):
        staff = _people(number, [self.viewer.agency])
        Booking.objects.bulk_create(
            Booking(
                session=self.sessions[n % 2],
                user=person,
                status=Booking.Status.CONFIRMED,
                attendance=(Booking.Attendance.DID_NOT_ATTEND if n % 4 == 1 else "") if n % 2 else "",
            )
            for n, person in enumerate(staff)
        )
        Booking.objects.bulk_create(
            Booking(session=self.sessions[0], user=person, status=Booking.Status.CONFIRMED)
            for person in _people(2, [self.other_agency])
        )

    def rows(self, page):
        return _booking_links(page)


class SessionBookingsPage:
    """The training team's list of everyone on a session and its waiting list."""

    def __init__(self):
        self.session = SessionFactory(start=ahead(days=10), capacity=FEW + 1, minimum_numbers=0)
        self.viewer = UserFactory(role=Role.TRAINING_ADMINISTRATOR)
        self.agencies = [AgencyFactory(), AgencyFactory(), None]
        self.url = reverse("bookings:session_bookings", args=[self.session.pk])

    def add(self, number):
        Booking.objects.bulk_create(_queue(self.session, _people(number, self.agencies), places=FEW + 1))

    def rows(self, page):
        return _booking_links(page)


PAGES = {
    "register": RegisterPage,
    "book a place": BookPage,
    "my bookings": MyBookingsPage,
    "agency bookings": AgencyBookingsPage,
    "staff session bookings": SessionBookingsPage,
}


def _visit(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_runs_the_same_queries_for_three_bookings_as_for_sixty(client, name):
    page = PAGES[name]()
    client.force_login(page.viewer)
    page.add(FEW)
    client.get(page.url)  # the first visit fills per-process caches; later ones only read them
    few, html = _visit(client, page.url)
    few_rows = page.rows(html)

    page.add(MANY - FEW)
    many, html = _visit(client, page.url)

    assert (few_rows, page.rows(html)) == (FEW, MANY)
    assert many == few
