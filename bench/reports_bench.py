"""Uptake reporting benchmark: `training_report` over a large partnership,
against the floor of a single hand-written SQL GROUP BY over the same tables.

Fills (once; later runs reuse it) a database with ten years of a large
partnership: 200 agencies, 5,000 sessions, 150,000 bookings of every status
with their attendance, 100,000 course-page views and 300,000 e-learning
completions. Then times, as the median of several runs after a warm-up:

- `training_report` (the JSON's data) for one financial year and for all ten;
- its parts: the booking and session figures, the evaluation headlines and
  the e-learning summary (each from its own app's selectors);
- the floor: one hand-written SQL statement joining bookings to sessions and
  grouping by course, counting booked, attended, confirmed, no-shows and late
  cancellations of the sessions that ran in the period;
- the dashboard page through Django's whole request stack.

    .venv/bin/python bench/reports_bench.py               # PostgreSQL database lscp_bench_reports
    DATABASE_URL=sqlite:///bench/reports.sqlite3 .venv/bin/python bench/reports_bench.py
"""

import datetime as dt
import os
import random
import statistics
import time
from pathlib import Path

from _environment import benchmark_environment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
benchmark_environment(database_url="postgres://postgres@127.0.0.1:5432/lscp_bench_reports")

import dj_database_url  # noqa: E402

CONFIG = dj_database_url.parse(os.environ["DATABASE_URL"])
if CONFIG["ENGINE"] == "django.db.backends.postgresql":
    import psycopg
    from psycopg import sql

    server = {
        "host": CONFIG["HOST"] or "127.0.0.1",
        "port": CONFIG["PORT"] or 5432,
        "user": CONFIG["USER"],
        "password": CONFIG["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [CONFIG["NAME"]]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(CONFIG["NAME"])))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Agency, JobRole, Sector, User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from bookings.models import Booking  # noqa: E402
from core.periods import Period, financial_year  # noqa: E402
from courses.models import Course, CourseFormat, CourseLevel, CourseView, Priority, Session, Venue  # noqa: E402
from reports import selectors  # noqa: E402
from reports.training_report import training_report  # noqa: E402

YEARS = 10
AGENCIES = 200
SESSIONS = 5_000
BOOKINGS = 150_000
VIEWS = 100_000
COMPLETIONS = 300_000
DELEGATES = 30_000
COURSES = 60
RUNS = 5
BATCH = 5_000

try:
    from elearning.models import Completion, Module
except ImportError:  # the e-learning app is not installed: that part is skipped
    Completion = Module = None


def first_year() -> int:
    """Ten whole financial years, the last one the year before the current one."""
    return financial_year(timezone.localdate()).start.year - YEARS


def fill() -> None:
    if Booking.objects.filter(session__course__slug__startswith="bench-").count() >= BOOKINGS:
        return
    print("Filling the database (once) ...", flush=True)
    rng = random.Random(7)
    started = time.perf_counter()
    with transaction.atomic():
        sectors = list(Sector.objects.all())
        Agency.objects.bulk_create(
            [
                Agency(name=f"Bench agency {n}", sector=sectors[n % len(sectors)], contributes=n % 4 == 0)
                for n in range(AGENCIES)
            ],
            ignore_conflicts=True,
        )
        agencies = list(Agency.objects.filter(name__startswith="Bench agency ").values_list("pk", flat=True))
        password = make_password(None)
        roles = JobRole.values
        User.objects.bulk_create(
            [
                User(
                    email=f"bench{n}@example.org",
                    first_name="Bench",
                    last_name=str(n),
                    password=password,
                    agency_id=agencies[n % len(agencies)],
                    job_role=roles[n % len(roles)],
                )
                for n in range(DELEGATES)
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        users = list(User.objects.filter(email__startswith="bench").values_list("pk", flat=True))
        priorities = [
            Priority.objects.get_or_create(slug=f"bench-{n}", defaults={"name": f"Bench priority {n}"})[0]
            for n in range(8)
        ]
        formats = CourseFormat.values
        courses = []
        for n in range(COURSES):
            course, _ = Course.objects.get_or_create(
                slug=f"bench-{n}",
                defaults={
                    "title": f"Bench course {n}",
                    "format": formats[n % len(formats)],
                    "level": CourseLevel.LEVEL_3,
                    "summary": "",
                    "learning_outcomes": "",
                    "audience": "",
                },
            )
            course.priorities.set([priorities[n % 8], priorities[(n + 3) % 8]])
            courses.append(course)
        venue, _ = Venue.objects.get_or_create(name="Bench venue", defaults={"address": "1 Road", "postcode": "RV1"})
        tz = timezone.get_current_timezone()
        start_day = dt.date(first_year(), 4, 1)
        days = YEARS * 365
        sessions = []
        for n in range(SESSIONS):
            day = start_day + dt.timedelta(days=n * days // SESSIONS)
            start = dt.datetime.combine(day, dt.time(9 + n % 4, 30), tz)
            cancelled = rng.random() < 0.06
            sessions.append(
                Session(
                    course=courses[n % COURSES],
                    venue=venue,
                    start=start,
                    end=start + dt.timedelta(hours=3),
                    capacity=rng.choice([20, 24, 25, 30]),
                    minimum_numbers=8,
                    status=Session.Status.CANCELLED if cancelled else Session.Status.SCHEDULED,
                    cancellation_reason=rng.choice(["Trainer unwell", "Too few bookings"]) if cancelled else "",
                )
            )
        Session.objects.bulk_create(sessions, batch_size=BATCH)
        statuses = (
            ["confirmed"] * 70
            + ["waitlisted"] * 8
            + ["cancelled"] * 12
            + ["late_cancelled"] * 6
            + ["substituted"] * 2
            + ["moved"] * 2
        )
        attendance = ["attended"] * 80 + ["did_not_attend"] * 10 + ["arrived_late"] * 5 + ["left_early"] * 5
        bookings = []
        per_session = BOOKINGS // SESSIONS
        for session in sessions:
            for user_id in rng.sample(users, per_session):
                status = rng.choice(statuses)
                if session.status == Session.Status.CANCELLED and status in ("confirmed", "waitlisted"):
                    status = "session_cancelled"
                bookings.append(
                    Booking(
                        session=session,
                        user_id=user_id,
                        status=status,
                        attendance=rng.choice(attendance) if status == "confirmed" else "",
                    )
                )
            if len(bookings) >= BATCH:
                Booking.objects.bulk_create(bookings)
                bookings = []
        Booking.objects.bulk_create(bookings)
        CourseView.objects.bulk_create(
            [
                CourseView(
                    course=courses[rng.randrange(COURSES)],
                    viewer_key=f"viewer{rng.randrange(40_000)}",
                    viewed_on=start_day + dt.timedelta(days=rng.randrange(days)),
                )
                for _n in range(VIEWS)
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        if Module is not None:
            modules = [
                Module.objects.get_or_create(
                    slug=f"bench-module-{n}",
                    defaults={"title": f"Safeguarding Children Level {n % 3 + 1} ({n})", "level": f"level_{n % 3 + 1}"},
                )[0]
                for n in range(12)
            ]
            completions = [
                Completion(
                    user_id=users[rng.randrange(len(users))],
                    module=modules[rng.randrange(len(modules))],
                    completed_on=start_day + dt.timedelta(days=rng.randrange(days)),
                    source="imported",
                    job_role=roles[rng.randrange(len(roles))],
                    agency_id=agencies[rng.randrange(AGENCIES)],
                )
                for _n in range(COMPLETIONS)
            ]
            Completion.objects.bulk_create(completions, batch_size=BATCH, ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics for the planner, on either database
    print(f"  filled in {time.perf_counter() - started:.0f} s", flush=True)


FLOOR_SQL = """
SELECT s.course_id,
       COUNT(*) AS booked,
       SUM(CASE WHEN b.attendance IN ('attended', 'arrived_late', 'left_early') THEN 1 ELSE 0 END) AS attended,
       SUM(CASE WHEN b.status = 'confirmed' THEN 1 ELSE 0 END) AS confirmed,
       SUM(CASE WHEN b.status = 'confirmed' AND b.attendance = 'did_not_attend' THEN 1 ELSE 0 END) AS no_shows,
       SUM(CASE WHEN b.status = 'late_cancelled' THEN 1 ELSE 0 END) AS late_cancellations
FROM bookings_booking b JOIN courses_session s ON s.id = b.session_id
WHERE s.start >= %(start)s AND s.start < %(end)s AND s.start <= %(now)s AND s.status <> 'cancelled'
GROUP BY s.course_id
"""


SAME_FIGURES_SQL = [
    # sessions run and cancelled, and places, by course
    """SELECT course_id, SUM(CASE WHEN status <> 'cancelled' AND start <= %(now)s THEN 1 ELSE 0 END),
              SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END),
              SUM(CASE WHEN status <> 'cancelled' AND start <= %(now)s THEN capacity ELSE 0 END)
       FROM courses_session WHERE start >= %(start)s AND start < %(end)s GROUP BY course_id""",
    # the booking figures by course (the floor itself)
    FLOOR_SQL,
    # different viewers by course
    """SELECT course_id, COUNT(DISTINCT viewer_key) FROM courses_courseview
       WHERE viewed_on >= %(first_day)s AND viewed_on <= %(last_day)s GROUP BY course_id""",
    # the booking figures by agency
    FLOOR_SQL.replace("SELECT s.course_id", "SELECT u.agency_id")
    .replace("GROUP BY s.course_id", "GROUP BY u.agency_id")
    .replace(
        "JOIN courses_session s ON s.id = b.session_id",
        "JOIN courses_session s ON s.id = b.session_id JOIN accounts_user u ON u.id = b.user_id",
    ),
    # individuals trained
    """SELECT COUNT(DISTINCT b.user_id) FROM bookings_booking b JOIN courses_session s ON s.id = b.session_id
       WHERE s.start >= %(start)s AND s.start < %(end)s AND s.start <= %(now)s AND s.status <> 'cancelled'
         AND b.attendance IN ('attended', 'arrived_late', 'left_early')""",
]


def _params(period: Period) -> dict:
    start, end = period.bounds()
    return {"start": start, "end": end, "now": timezone.now(), "first_day": period.start, "last_day": period.end}


def floor(period: Period):
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, _params(period))
        return cursor.fetchall()


def same_figures(period: Period):
    """Hand-written SQL for the same booking and session figures training_report reads."""
    params = _params(period)
    with connection.cursor() as cursor:
        for statement in SAME_FIGURES_SQL:
            cursor.execute(statement, params)
            cursor.fetchall()


def timed(call) -> tuple[float, int]:
    """Median milliseconds over RUNS runs after one warm-up, and the SQL statements of one run."""
    call()
    statements = []
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: statements.append(sql) or execute(sql, params, many, context)
    ):
        call()
    times = []
    for _n in range(RUNS):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(statements)


def main():
    call_command("migrate", verbosity=0)
    fill()
    one_year = Period(dt.date(first_year() + YEARS - 1, 4, 1), dt.date(first_year() + YEARS, 3, 31))
    all_years = Period(dt.date(first_year(), 4, 1), dt.date(first_year() + YEARS, 3, 31))
    reviewer, _ = User.objects.get_or_create(
        email="bench-reviewer@example.org", defaults={"first_name": "R", "last_name": "Reviewer"}
    )
    reviewer.groups.add(Group.objects.get(name=Role.PPT_REVIEWER))
    client = Client()
    client.force_login(reviewer)
    settings.ALLOWED_HOSTS = ["testserver"]

    counts = {
        "sessions": Session.objects.count(),
        "bookings": Booking.objects.count(),
        "views": CourseView.objects.count(),
        "agencies": Agency.objects.count(),
        "completions": Completion.objects.count() if Completion else "skipped (no e-learning app)",
    }
    print(
        f"Database: {connection.vendor}; "
        + ", ".join(f"{key} {value:,}" if isinstance(value, int) else f"{key} {value}" for key, value in counts.items())
    )
    rows = []
    for label, period in (("one year", one_year), ("all ten years", all_years)):
        query = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        rows.append(
            (
                label,
                [
                    timed(lambda period=period: training_report(period)),
                    timed(lambda period=period: selectors.uptake_report(period, breakdowns=False)),
                    timed(
                        lambda period=period: selectors.evaluation_headlines(
                            period, list(Course.objects.values_list("pk", flat=True))
                        )
                    ),
                    timed(lambda period=period: selectors.elearning_summary(period)),
                    timed(lambda period=period: floor(period)),
                    timed(lambda period=period: same_figures(period)),
                    timed(lambda query=query: client.get("/reports/uptake/", query)),
                ],
            )
        )
    print()
    print(
        "| period | training_report | bookings & sessions part | evaluation headlines | e-learning summary "
        "| floor: one GROUP BY | same figures, hand-written SQL | dashboard page | training_report ÷ floor "
        "| bookings & sessions ÷ floor | bookings & sessions ÷ hand-written |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, figures in rows:
        (report, _q), (uptake, _q2), _evaluation, _elearning, (floor_ms, _q3), (same, _q4), _page = figures
        cells = " | ".join(f"{ms:,.1f} ms ({queries} q)" for ms, queries in figures)
        print(f"| {label} | {cells} | {report / floor_ms:.1f}× | {uptake / floor_ms:.1f}× | {uptake / same:.1f}× |")


if __name__ == "__main__":
    main()
