"""Evaluation report benchmark.

Fills a database with one financial year of a large programme that is fully
evaluated: 150 sessions of 20 courses, 3,000 attendees, each with pre-course,
post-course and follow-up answers (about 110,000 answer rows), and prints for
each report page the number of SQL queries and the median and 95th-percentile
response times through Django's full request stack (in-process client).

    .venv/bin/python bench/evaluation_report_bench.py       # SQLite file bench/evaluation_bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lscp_eval_bench .venv/bin/python bench/evaluation_report_bench.py
"""

import datetime as dt
import random
import statistics
import time
from pathlib import Path

from _environment import benchmark_environment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
benchmark_environment(database_url=f"sqlite:///{ROOT / 'bench' / 'evaluation_bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Agency, Sector, User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from bookings.models import Booking  # noqa: E402
from courses.models import Course, CourseFormat, CourseLevel, Session, Venue  # noqa: E402
from evaluations.models import Answer, EvaluationRequest, Kind, Response, Stage, Timing  # noqa: E402
from evaluations.selectors import financial_year  # noqa: E402
from evaluations.services import questionnaire_current  # noqa: E402

COURSES, SESSIONS, PER_SESSION = 20, 150, 20
REQUESTS = 20


def _value(rng, question):
    if question.kind == Kind.RATING:
        return {"number": rng.randint(1, 5)}
    if question.kind == Kind.YES_NO:
        return {"number": rng.randint(0, 1)}
    if question.kind in (Kind.SINGLE_CHOICE, Kind.KNOWLEDGE):
        return {"choices": [rng.choice(question.options)]}
    if question.kind == Kind.MULTIPLE_CHOICE:
        return {"choices": rng.sample(question.options, 2)}
    return {"text": "A comment about the course." if rng.random() < 0.3 else ""}


@transaction.atomic
def fill():
    if Booking.objects.count() >= SESSIONS * PER_SESSION:
        return
    rng = random.Random(1)
    today = timezone.localdate()
    year = financial_year(today)
    agency, _ = Agency.objects.get_or_create(name="Bench Nursery", defaults={"sector": Sector.objects.first()})
    venue, _ = Venue.objects.get_or_create(name="Bench venue", defaults={"address": "1 Road", "postcode": "RV1 1AA"})
    users = User.objects.bulk_create(
        [User(email=f"evalbench{n}@example.org", first_name="B", last_name=str(n), agency=agency) for n in range(600)]
    )
    courses = [
        Course.objects.create(
            title=f"Bench course {n}", slug=f"bench-course-{n}", format=CourseFormat.FULL_DAY,
            level=CourseLevel.LEVEL_2, summary="s", audience="a",
            learning_outcomes="Recognise the signs\nKnow the roles of other agencies\nShare a concern",
        )
        for n in range(COURSES)
    ]
    versions = {course.pk: questionnaire_current(course=course) for course in courses}
    questions = {pk: list(version.questions.all()) for pk, version in versions.items()}
    days = max((today - year.start).days - 60, 30)
    sessions = []
    for n in range(SESSIONS):
        start = timezone.make_aware(dt.datetime.combine(year.start + dt.timedelta(days=n * days // SESSIONS),
                                                        dt.time(9, 30)))
        sessions.append(Session(course=courses[n % COURSES], start=start, end=start + dt.timedelta(hours=7),
                                venue=venue, capacity=PER_SESSION, register_submitted_at=start + dt.timedelta(hours=7)))
    sessions = Session.objects.bulk_create(sessions)
    bookings = Booking.objects.bulk_create(
        Booking(session=session, user=users[(index * PER_SESSION + k) % len(users)], status="confirmed",
                attendance="attended")
        for index, session in enumerate(sessions) for k in range(PER_SESSION)
    )
    requests = EvaluationRequest.objects.bulk_create(
        EvaluationRequest(booking=booking, stage=stage) for booking in bookings for stage in Stage.values
    )
    course_of = {session.pk: session.course_id for session in sessions}
    booking_course = {booking.pk: course_of[booking.session_id] for booking in bookings}
    responses = Response.objects.bulk_create(
        Response(request=request, version=versions[booking_course[request.booking_id]]) for request in requests
    )
    answers = []
    for response, request in zip(responses, requests, strict=True):
        for question in questions[booking_course[request.booking_id]]:
            if question.stage != request.stage:
                continue
            value = _value(rng, question)
            if question.timing == Timing.THEN:
                value = {"number": rng.randint(1, 3)}
            answers.append(Answer(response=response, question=question, **value))
    Answer.objects.bulk_create(answers, batch_size=5000)


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
    fill()
    reviewer, created = User.objects.get_or_create(email="evalbench.reviewer@example.org",
                                                   defaults={"first_name": "R", "last_name": "Reviewer"})
    if created:
        reviewer.groups.add(Group.objects.get(name=Role.TRAINING_ADMINISTRATOR))
    settings.ALLOWED_HOSTS.append("testserver")
    client = Client()
    client.force_login(reviewer)
    course = Course.objects.get(slug="bench-course-0")
    session = Session.objects.filter(course=course).first()
    pages = {
        "programme report (financial year)": reverse("evaluations:report_programme"),
        "course report (7-8 sessions)": reverse("evaluations:report_course", args=[course.pk]),
        "session report (20 attendees)": reverse("evaluations:report_session", args=[session.pk]),
        "sessions with results": reverse("evaluations:result_sessions"),
    }
    print(f"{connection.vendor}, DEBUG={settings.DEBUG}: {Answer.objects.count():,} answers, "
          f"{Response.objects.count():,} responses, {Booking.objects.count():,} attendees")
    print("| page | queries | median ms | p95 ms |\n|---|---:|---:|---:|")
    for name, url in pages.items():
        queries, median, p95 = measure(client, url)
        print(f"| {name} | {queries} | {median:.0f} | {p95:.0f} |")


if __name__ == "__main__":
    main()
