"""Calendar and course page benchmark.

Fills a database with ten years of a large partnership's programme (500
sessions a year, most of them booked) and prints, for each public page, the
number of SQL queries and the median and 95th-percentile response times over
repeated requests through Django's full request stack (in-process client, no
network).

    .venv/bin/python bench/calendar_bench.py            # SQLite file bench/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lscp_bench .venv/bin/python bench/calendar_bench.py
"""

import datetime as dt
import random
import statistics
import time
from pathlib import Path

from _environment import benchmark_environment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
benchmark_environment(database_url=f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Agency, Sector, User  # noqa: E402
from bookings.models import Booking  # noqa: E402
from courses.models import Course, CourseFormat, CourseLevel, Session, Venue  # noqa: E402

YEARS = 10
SESSIONS_A_YEAR = 500
REQUESTS = 50


def fill():
    if Session.objects.count() >= YEARS * SESSIONS_A_YEAR:
        return
    rng = random.Random(1)
    sector = Sector.objects.get(slug="early_years")
    agency, _ = Agency.objects.get_or_create(name="Bench Nursery", defaults={"sector": sector})
    users = [User(email=f"bench{n}@example.org", first_name="B", last_name=str(n), agency=agency) for n in range(300)]
    User.objects.bulk_create(users, ignore_conflicts=True)
    users = list(User.objects.filter(email__startswith="bench"))
    venues = [
        Venue.objects.get_or_create(name=f"Bench venue {n}", defaults={"address": "1 Road", "postcode": "RV1 1AA"})[0]
        for n in range(10)
    ]
    courses = [
        Course.objects.get_or_create(
            slug=f"bench-course-{n}",
            defaults={
                "title": f"Bench course {n}",
                "format": CourseFormat.FULL_DAY,
                "level": CourseLevel.LEVEL_2,
                "summary": "s",
                "learning_outcomes": "a\nb",
                "audience": "all",
            },
        )[0]
        for n in range(60)
    ]
    tz = timezone.get_current_timezone()
    first_day = timezone.localdate() - dt.timedelta(days=365 * (YEARS - 1))
    sessions = []
    for n in range(YEARS * SESSIONS_A_YEAR):
        day = first_day + dt.timedelta(days=n * 365 * YEARS // (YEARS * SESSIONS_A_YEAR))
        start = dt.datetime.combine(day, dt.time(9, 30), tz)
        sessions.append(
            Session(
                course=courses[n % len(courses)],
                start=start,
                end=start + dt.timedelta(hours=7),
                venue=venues[n % len(venues)],
                capacity=25,
                minimum_numbers=8,
            )
        )
    Session.objects.bulk_create(sessions, batch_size=1000)
    bookings = []
    for session in Session.objects.all().only("pk"):
        for user in rng.sample(users, rng.randint(10, 25)):
            bookings.append(Booking(session=session, user=user, status=Booking.Status.CONFIRMED))
        if len(bookings) > 20000:
            Booking.objects.bulk_create(bookings)
            bookings = []
    Booking.objects.bulk_create(bookings)


def measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    # Read now: the log is cleared at the start of every later request.
    query_count = len(queries)
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return query_count, statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main():
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    fill()
    fill_seconds = time.perf_counter() - started
    settings.ALLOWED_HOSTS.append("testserver")
    client = Client()
    month = timezone.localdate().strftime("%Y-%m")
    course = Course.objects.get(slug="bench-course-7")
    pages = [
        ("calendar list (upcoming)", "/"),
        ("calendar list, filtered", "/?format=full_day&q=bench"),
        ("calendar list, page 3", "/?page=3"),
        ("calendar month view", f"/calendar/month/?month={month}"),
        ("course page", course.get_absolute_url()),
    ]
    print(
        f"database: {connection.vendor}; sessions: {Session.objects.count():,}; "
        f"bookings: {Booking.objects.count():,} (fill took {fill_seconds:.1f}s)"
    )
    print(f"{'page':<28} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
    for name, url in pages:
        count, median, p95 = measure(client, url)
        print(f"{name:<28} {count:>7} {median:>10.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
