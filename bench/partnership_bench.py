"""Every page and report at one scale, beside its floor, in one run.

Builds (COPY, into a PostgreSQL database of its own) a partnership's data at
`--scale` times one borough's size, then measures each page through Django's
whole request stack (test client, DEBUG off) and the training report as a
function: its SQL query count, and the median and 95th percentile of repeated
runs. Beside each, in the same run and the same way, its floor:

- for a page, a trivial view (one query, a small template) requested by the
  same client, so it pays the same middleware, session and user look-ups;
- for a report page, the same trivial view running instead one hand-written
  SQL GROUP BY over the report's rows;
- for training_report (a function), that GROUP BY alone.

Writes the figures as JSON for bench/run_all.py, which runs this at each
scale and the booking rush, checks the query counts and writes
docs/performance.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lscp_bench_x1 .venv/bin/python bench/partnership_bench.py --scale 1
"""

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
import types

from _environment import benchmark_environment, database_ensure

benchmark_environment(database_url="postgres://postgres@127.0.0.1:5432/lscp_bench_x1")
# A booking's e-mail is written and "sent" inside the request (no broker), to memory.
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
database_ensure(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from psycopg import sql  # noqa: E402

from accounts.models import Agency, JobRole, Sector, User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from bookings.models import Booking  # noqa: E402
from core.periods import Period, financial_year  # noqa: E402
from courses.models import Course, CourseFormat, CourseLevel, CourseView, Priority, Session, Venue  # noqa: E402
from elearning.models import Completion, Module  # noqa: E402
from evaluations.models import Answer, EvaluationRequest, Kind, Response, Stage, Timing  # noqa: E402
from evaluations.services import questionnaire_current  # noqa: E402
from reports import selectors  # noqa: E402
from reports.training_report import as_json, training_report  # noqa: E402

# One borough's partnership (docs/performance.md says where the figures come from).
BOROUGH = {
    "agencies": 150,
    "delegates": 3_000,
    "venues": 10,
    "sessions_a_year": 50,
    "views_a_year": 2_000,
    "completions_a_year": 3_000,
}
COURSES = 30
COURSE_SCALE_CAP = 5  # a consortium shares most of its catalogue: courses grow 5x at most
YEARS = 5  # whole financial years of history before the current one
REGISTER_PLACES = 30
RESPONSE_SHARE = {Stage.PRE: 1.0, Stage.POST: 0.85, Stage.FOLLOW_UP: 0.4}
STATUSES = ["confirmed"] * 74 + ["waitlisted"] * 6 + ["cancelled"] * 12 + ["late_cancelled"] * 6 + ["moved"] * 2
ATTENDANCE = ["attended"] * 80 + ["did_not_attend"] * 10 + ["arrived_late"] * 5 + ["left_early"] * 5
ATTENDED = ("attended", "arrived_late", "left_early")


# --- filling the database quickly ---------------------------------------------------------


def next_id(model) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def copy_rows(model, columns: list[str], rows) -> int:
    """COPY rows (tuples in `columns` order, ids included) into the model's
    table; every other column gets the field's default. Returns the number of rows."""
    rest = [field for field in model._meta.concrete_fields if field.attname not in columns]
    now = timezone.now()

    def default(field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        value = field.get_default()
        return json.dumps(value) if isinstance(field, models.JSONField) else value

    extra = tuple(default(field) for field in rest)
    column = {field.attname: field.column for field in model._meta.concrete_fields}
    names = [column[name] for name in columns] + [field.column for field in rest]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, names))
    )
    count = 0
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row((*row, *extra))
            count += 1
    return count


def sequences_reset(*tables: type[models.Model]) -> None:
    with connection.cursor() as cursor:
        for model in tables:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


def answer_value(rng, question) -> tuple:
    """(number, choices JSON, text) for an answer to `question`."""
    if question.timing == Timing.THEN:
        return rng.randint(1, 3), "[]", ""
    if question.kind == Kind.RATING:
        return rng.randint(2, 5), "[]", ""
    if question.kind == Kind.YES_NO:
        return int(rng.random() < 0.85), "[]", ""
    if question.kind in (Kind.SINGLE_CHOICE, Kind.KNOWLEDGE):
        return None, json.dumps([rng.choice(question.options)]), ""
    if question.kind == Kind.MULTIPLE_CHOICE:
        return None, json.dumps(rng.sample(question.options, min(2, len(question.options)))), ""
    return None, "[]", "I will share this with my team." if rng.random() < 0.3 else ""


def measured_year() -> Period:
    """The last whole financial year: the reports are read for it."""
    return financial_year(financial_year(timezone.localdate()).start - dt.timedelta(days=1))


def fill(scale: int) -> dict:
    """A partnership `scale` times one borough's size: YEARS whole financial
    years and the current one, and a year of sessions ahead. Returns what was made."""
    rng = random.Random(scale)
    size = {name: count * scale for name, count in BOROUGH.items()}
    size["courses"] = COURSES * min(scale, COURSE_SCALE_CAP)
    today = timezone.localdate()
    first_day = financial_year(today).start.replace(year=financial_year(today).start.year - YEARS)
    last_day = today + dt.timedelta(days=365)
    span = (last_day - first_day).days
    year = measured_year()
    tz = timezone.get_current_timezone()

    sectors = list(Sector.objects.values_list("pk", flat=True))
    agency_ids = list(range(next_id(Agency), next_id(Agency) + size["agencies"]))
    copy_rows(Agency, ["id", "name", "sector_id", "contributes"],
              ((pk, f"Bench agency {pk}", sectors[pk % len(sectors)], pk % 4 == 0) for pk in agency_ids))
    roles = JobRole.values
    password = make_password(None)
    user_ids = list(range(next_id(User), next_id(User) + size["delegates"]))
    copy_rows(User, ["id", "email", "first_name", "last_name", "password", "agency_id", "job_role"],
              ((pk, f"delegate{pk}@bench.example", "Bench", f"Delegate {pk}", password,
                agency_ids[pk % len(agency_ids)], roles[pk % len(roles)]) for pk in user_ids))

    priorities = Priority.objects.bulk_create(
        Priority(name=f"Bench priority {n}", slug=f"bench-priority-{n}") for n in range(6)
    )
    formats = [CourseFormat.BRIEFING, CourseFormat.HALF_DAY, CourseFormat.FULL_DAY]
    courses = Course.objects.bulk_create(
        Course(title=f"Bench course {n}", slug=f"bench-course-{n}", format=formats[n % 3], level=CourseLevel.LEVEL_2,
               summary="A course.", audience="Everyone",
               learning_outcomes="Recognise the signs\nKnow the roles of other agencies\nShare a concern")
        for n in range(size["courses"])
    )
    Course.priorities.through.objects.bulk_create(
        Course.priorities.through(course_id=course.pk, priority_id=priorities[n % len(priorities)].pk)
        for n, course in enumerate(courses)
    )
    venues = Venue.objects.bulk_create(
        Venue(name=f"Bench venue {n}", address="1 Road", postcode="RV1 1AA") for n in range(size["venues"])
    )

    # Sessions, evenly over the span; the first scheduled one of course 0 in the
    # measured year is the register page's session, full to the last place.
    count = size["sessions_a_year"] * span // 365
    session_rows, register_session = [], None
    session_id = next_id(Session)
    now = timezone.now()
    for n in range(count):
        day = first_day + dt.timedelta(days=n * span // count)
        start = dt.datetime.combine(day, dt.time(9 + n % 2 * 4, 30), tz)
        course = courses[n % len(courses)] if n % 7 else courses[0]  # course 0 runs often: a popular course
        cancelled = rng.random() < 0.06 and course is not courses[0]
        full = register_session is None and course is courses[0] and year.start <= day <= year.end
        if full:
            register_session = session_id + n
        ran = start < now and not cancelled
        session_rows.append((
            session_id + n, course.pk, start, start + dt.timedelta(hours=3), venues[n % len(venues)].pk,
            REGISTER_PLACES if full else rng.choice([20, 24, 25, 30]), 8,
            "cancelled" if cancelled else "scheduled", "Trainer unwell" if cancelled else "",
            start + dt.timedelta(hours=3) if ran else None,
        ))
    copy_rows(Session, ["id", "course_id", "start", "end", "venue_id", "capacity", "minimum_numbers", "status",
                        "cancellation_reason", "register_submitted_at"], session_rows)

    booking_id = next_id(Booking)
    bookings = []  # (id, session id, user id, status, attendance, course id, start)
    for pk, course_id, start, _end, _venue, capacity, *_rest, submitted in session_rows:
        cancelled = _rest[1] == "cancelled"
        people = rng.sample(user_ids, REGISTER_PLACES + 3 if pk == register_session else rng.randint(10, capacity))
        queue = 0
        for number, user_id in enumerate(people):
            if pk == register_session:
                status = "confirmed" if number < REGISTER_PLACES else "waitlisted"
            else:
                status = rng.choice(STATUSES)
            if cancelled and status in ("confirmed", "waitlisted"):
                status = "session_cancelled"
            queue_number = None
            if status == "waitlisted":
                queue += 1
                queue_number = queue
            attendance = rng.choice(ATTENDANCE) if status == "confirmed" and submitted else ""
            bookings.append((booking_id, pk, user_id, status, attendance, queue_number, course_id, start))
            booking_id += 1
    copy_rows(Booking, ["id", "session_id", "user_id", "status", "attendance", "queue_number"],
              (row[:6] for row in bookings))

    view_id = next_id(CourseView)
    views = size["views_a_year"] * span // 365
    copy_rows(CourseView, ["id", "course_id", "viewer_key", "viewed_on"],
              ((view_id + n, courses[rng.randrange(len(courses))].pk, f"viewer-{n}",
                first_day + dt.timedelta(days=rng.randrange(min(span, (today - first_day).days + 1))))
               for n in range(views)))

    modules = Module.objects.bulk_create(
        Module(title=title, slug=f"bench-module-{n}", level=level, delivery=Module.Delivery.EXTERNAL)
        for n, (title, level) in enumerate([
            ("Bench Safeguarding Children Level 1", CourseLevel.LEVEL_1),
            ("Bench Safeguarding Children Level 2", CourseLevel.LEVEL_2),
            ("Bench Prevent awareness", ""), ("Bench Domestic abuse awareness", ""),
            ("Bench Child sexual exploitation", ""), ("Bench Female genital mutilation", ""),
            ("Bench Online safety", ""), ("Bench Neglect", ""),
        ])
    )
    completion_id = next_id(Completion)
    days_so_far = (today - first_day).days
    seen, completions = set(), []
    for _n in range(size["completions_a_year"] * days_so_far // 365):
        user_id = user_ids[rng.randrange(len(user_ids))]
        day = first_day + dt.timedelta(days=rng.randrange(days_so_far))
        key = (user_id, modules[rng.randrange(len(modules))].pk, day)
        if key in seen:
            continue
        seen.add(key)
        role = rng.choice(roles) if rng.random() < 0.9 else ""
        completions.append((completion_id, *key, "imported", role, "Receptionist" if not role and rng.random() < 0.5
                            else "", agency_ids[user_id % len(agency_ids)]))
        completion_id += 1
    copy_rows(Completion, ["id", "user_id", "module_id", "completed_on", "source", "job_role", "job_role_text",
                           "agency_id"], completions)

    # Evaluations for the measured year: every attendee is asked at each stage,
    # fewer answer as the stages go on.
    versions = {course.pk: questionnaire_current(course=course) for course in courses}
    questions = {pk: list(version.questions.all()) for pk, version in versions.items()}
    request_id, response_id, answer_id = next_id(EvaluationRequest), next_id(Response), next_id(Answer)
    requests, responses, answers = [], [], []
    for pk, _session, _user, _status, attendance, _queue, course_id, start in bookings:
        if not (year.start <= timezone.localdate(start) <= year.end and attendance in ATTENDED):
            continue
        for stage in Stage.values:
            requests.append((request_id, pk, stage))
            if rng.random() < RESPONSE_SHARE[stage]:
                responses.append((response_id, request_id, versions[course_id].pk))
                for question in questions[course_id]:
                    if question.stage == stage:
                        answers.append((answer_id, response_id, question.pk, *answer_value(rng, question)))
                        answer_id += 1
                response_id += 1
            request_id += 1
    copy_rows(EvaluationRequest, ["id", "booking_id", "stage"], requests)
    copy_rows(Response, ["id", "request_id", "version_id"], responses)
    copy_rows(Answer, ["id", "response_id", "question_id", "number", "choices", "text"], answers)

    sequences_reset(Agency, User, Session, Booking, CourseView, Completion, EvaluationRequest, Response, Answer)
    return {
        "agencies": len(agency_ids), "delegates": len(user_ids), "courses": len(courses), "venues": len(venues),
        "sessions": len(session_rows), "bookings": len(bookings), "course views": views,
        "e-learning completions": len(completions), "evaluation responses": len(responses),
        "evaluation answers": len(answers), "register_session": register_session,
    }


# --- the floors ---------------------------------------------------------------------------

PERIOD_SQL = "s.start >= %(start)s AND s.start < %(end)s"
FLOOR_SQL = {
    # the trivial view's one query
    "page": "SELECT id FROM courses_course ORDER BY id LIMIT 1",
    # booking figures by course for the sessions that ran (dashboard, training_report)
    "uptake": f"""
        SELECT s.course_id, COUNT(*),
               SUM(CASE WHEN b.attendance IN ('attended', 'arrived_late', 'left_early') THEN 1 ELSE 0 END),
               SUM(CASE WHEN b.status = 'confirmed' THEN 1 ELSE 0 END),
               SUM(CASE WHEN b.status = 'confirmed' AND b.attendance = 'did_not_attend' THEN 1 ELSE 0 END),
               SUM(CASE WHEN b.status = 'late_cancelled' THEN 1 ELSE 0 END)
        FROM bookings_booking b JOIN courses_session s ON s.id = b.session_id
        WHERE {PERIOD_SQL} AND s.start <= %(now)s AND s.status <> 'cancelled'
        GROUP BY s.course_id""",
    # answers in scope by course and question (evaluation reports)
    "evaluation": f"""
        SELECT s.course_id, q.key, COUNT(*), AVG(a.number)
        FROM evaluations_answer a
        JOIN evaluations_question q ON q.id = a.question_id
        JOIN evaluations_response r ON r.id = a.response_id
        JOIN evaluations_evaluationrequest er ON er.id = r.request_id
        JOIN bookings_booking b ON b.id = er.booking_id
        JOIN courses_session s ON s.id = b.session_id
        WHERE {PERIOD_SQL} AND (%(course)s::int IS NULL OR s.course_id = %(course)s)
          AND (%(session)s::int IS NULL OR s.id = %(session)s)
        GROUP BY s.course_id, q.key""",
    # completions by module (e-learning report)
    "elearning": """
        SELECT module_id, COUNT(*), COUNT(DISTINCT user_id) FROM elearning_completion
        WHERE completed_on >= %(first_day)s AND completed_on <= %(last_day)s GROUP BY module_id""",
}
FLOOR_TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang=en><title>Floor</title><p>{{ user.is_authenticated }}: {{ rows|length }} rows</p>"
)


def floor_params(request_or_dict) -> dict:
    year = measured_year()
    start, end = year.bounds()
    get = request_or_dict.get
    return {
        "start": start, "end": end, "now": timezone.now(), "first_day": year.start, "last_day": year.end,
        "course": int(get("course")) if get("course") else None,
        "session": int(get("session")) if get("session") else None,
    }


def floor_query(name: str, params: dict) -> list:
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL[name], params)
        return cursor.fetchall()


def floor_view(request):
    """The floor: one query (the page's trivial one or a report's GROUP BY) and a small template."""
    rows = floor_query(request.GET.get("sql", "page"), floor_params(request.GET))
    return HttpResponse(FLOOR_TEMPLATE.render({"rows": rows, "user": request.user}, request))


def floor_urlconf() -> types.ModuleType:
    """The site's URLs and the floor view's."""
    urlconf = types.ModuleType("bench_urls")
    urlconf.urlpatterns = [path("bench/floor/", floor_view), path("", include(settings.ROOT_URLCONF))]
    return urlconf


# --- measuring ------------------------------------------------------------------------------


def query_count(call) -> int:
    """The queries of one call: the fewer of two in a row, because a signed-in
    session is written back at most once a minute (accounts.middleware), on
    whichever request comes, and that is not the page's own work."""
    counts = []
    for _n in range(2):
        with CaptureQueriesContext(connection) as queries:
            call()
        counts.append(len(queries))  # now: the next request clears the log
    return min(counts)


def timings(call, *, runs: int, budget: float) -> tuple[int, list[float]]:
    """Query count after a warm-up call, then up to `runs` timed calls (at
    least 3, fewer if `budget` seconds run out). Milliseconds."""
    call()
    count = query_count(call)
    times, spent = [], 0.0
    while len(times) < runs and (len(times) < 3 or spent < budget):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
        spent += times[-1] / 1000
    return count, times


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "median": statistics.median(ordered),
        "p95": ordered[max(round(len(ordered) * 0.95) - 1, 0)],
        "runs": len(ordered),
    }


def page_call(client, url):
    def call():
        # Over HTTPS, as in production (DEBUG off redirects plain HTTP).
        response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)

    return call


def booking_figures(session, people, *, runs: int, budget: float) -> dict:
    """Book a place (the booking form's POST), one person after another, each
    signed in beforehand; the floor is the trivial view, posted to by the same client."""
    client, url = Client(), reverse("bookings:book", args=[session.pk])
    waiting = iter(people)

    def book(queries=None):
        client.force_login(next(waiting))
        with queries if queries is not None else contextlib.nullcontext():
            started = time.perf_counter()
            response = client.post(url, {"dietary_requirements": "", "requirements": ""}, secure=True)
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 302, (url, response.status_code)
        return elapsed

    book()
    counts = []
    for _n in range(2):  # the fewer of two, as query_count does
        queries = CaptureQueriesContext(connection)
        book(queries)
        counts.append(len(queries))
    count = min(counts)
    times, spent = [], 0.0
    while len(times) < runs and (len(times) < 3 or spent < budget):
        times.append(book())
        spent += times[-1] / 1000
    floor_queries, floor_times = timings(lambda: client.post("/bench/floor/", secure=True), runs=runs, budget=budget)
    return {"name": "book a place (POST)", "kind": "page", "url": url, "queries": count, **summary(times),
            "floor": {"url": "/bench/floor/ (POST)", "queries": floor_queries, **summary(floor_times)}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="times one borough's partnership")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page (fewer for slow pages)")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds of timed requests per page, at most")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    if Course.objects.filter(slug__startswith="bench-course-").exists():
        sys.exit("This database already holds benchmark data: run_all.py starts from an empty one.")
    with transaction.atomic():
        made = fill(args.scale)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    filled = time.perf_counter()
    print(f"scale {args.scale}x: migrated in {migrated - started:.0f} s, filled in {filled - migrated:.0f} s: "
          + ", ".join(f"{value:,} {name}" for name, value in made.items() if name != "register_session"), flush=True)

    settings.ROOT_URLCONF = floor_urlconf()
    settings.ALLOWED_HOSTS = ["testserver"]
    staff = User.objects.create_user(email="staff@bench.example", password=None, first_name="Bench", last_name="Staff")
    staff.groups.add(*Group.objects.filter(name__in=[Role.TRAINING_ADMINISTRATOR, Role.PPT_REVIEWER]))
    TOTP.activate(staff, generate_totp_secret())  # (the staff roles must use two-factor sign-in)
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(staff)
    year = measured_year()
    period = {"start": year.start.isoformat(), "end": year.end.isoformat()}
    query = f"?start={period['start']}&end={period['end']}"
    session = Session.objects.get(pk=made["register_session"])
    course = session.course

    pages = [
        # name, what, client, url, floor url
        ("calendar list", "page", anonymous, reverse("courses:calendar"), "/bench/floor/"),
        ("course page", "page", anonymous, course.get_absolute_url(), "/bench/floor/"),
        (f"register ({REGISTER_PLACES} booked)", "page", signed_in, reverse("bookings:register", args=[session.pk]),
         "/bench/floor/"),
        ("evaluation report, session", "report page", signed_in,
         reverse("evaluations:report_session", args=[session.pk]),
         f"/bench/floor/?sql=evaluation&session={session.pk}"),
        ("evaluation report, course", "report page", signed_in,
         reverse("evaluations:report_course", args=[course.pk]) + query,
         f"/bench/floor/?sql=evaluation&course={course.pk}"),
        ("evaluation report, programme", "report page", signed_in, reverse("evaluations:report_programme") + query,
         "/bench/floor/?sql=evaluation"),
        ("dashboard (reports:dashboard)", "report page", signed_in, reverse("reports:dashboard") + query,
         "/bench/floor/?sql=uptake"),
        ("e-learning report", "report page", signed_in, reverse("elearning:report") + query,
         "/bench/floor/?sql=elearning"),
    ]
    results = []
    for name, kind, client, url, floor_url in pages:
        queries, times = timings(page_call(client, url), runs=args.runs, budget=args.budget)
        floor_queries, floor_times = timings(page_call(client, floor_url), runs=args.runs, budget=args.budget)
        results.append({"name": name, "kind": kind, "url": url, "queries": queries, **summary(times),
                        "floor": {"url": floor_url, "queries": floor_queries, **summary(floor_times)}})
        print(f"  {name}: {results[-1]['median']:.1f} ms, {queries} queries", flush=True)

    # A session far ahead (after every other), so nobody's bookings clash with it.
    far = timezone.now() + dt.timedelta(days=400)
    open_session = Session.objects.create(course=course, venue=session.venue, start=far,
                                          end=far + dt.timedelta(hours=3), capacity=1000)
    people = list(User.objects.filter(email__endswith="@bench.example", agency__contributes=True)
                  .order_by("pk")[:args.runs + 3])
    Group.objects.get(name=Role.DELEGATE).user_set.add(*people)
    results.insert(2, booking_figures(open_session, people, runs=args.runs, budget=args.budget))
    print(f"  book a place: {results[2]['median']:.1f} ms, {results[2]['queries']} queries", flush=True)

    # training_report, then each of its parts, each beside its own GROUP BY.
    report_period = Period(year.start, year.end)
    course_ids = list(Course.objects.values_list("pk", flat=True))
    part = "training_report: {} part".format
    functions = [
        ("training_report (JSON)", "uptake", lambda: as_json(training_report(report_period))),
        (part("bookings and sessions"), "uptake", lambda: selectors.uptake_report(report_period, breakdowns=False)),
        (part("evaluation headlines"), "evaluation", lambda: selectors.evaluation_headlines(report_period, course_ids)),
        (part("e-learning"), "elearning", lambda: selectors.elearning_summary(report_period)),
    ]
    for name, floor_name, function in functions:
        queries, times = timings(function, runs=args.runs, budget=args.budget)
        floor_queries, floor_times = timings(lambda floor_name=floor_name: floor_query(floor_name, floor_params({})),
                                             runs=args.runs, budget=args.budget)
        results.append({"name": name, "kind": "report", "url": "", "queries": queries, **summary(times),
                        "floor": {"url": floor_name, "queries": floor_queries, **summary(floor_times)}})
        print(f"  {name}: {results[-1]['median']:.1f} ms, {queries} queries", flush=True)

    server = connection.cursor().connection.info.server_version
    figures = {
        "scale": args.scale,
        "made": made,
        "period": period,
        "fill_seconds": round(filled - migrated, 1),
        "postgresql": f"{server // 10000}.{server % 100}",
        "pages": results,
    }
    if args.json:
        with open(args.json, "w") as out:
            json.dump(figures, out, indent=1, default=str)


if __name__ == "__main__":
    main()
