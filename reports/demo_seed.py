"""The demo partnership's past: last financial year's programme, brought in
through the history import (as a partnership moving to the system would), and
course-page views for both years, so the uptake dashboard has a year to
compare with. Idempotent: the import changes nothing the second time, and a
view is one a viewer a day."""

import csv
import datetime as dt
import io
import random

from django.utils import timezone

from core.periods import financial_year
from courses.models import CourseView, Session

from .services import history_import_apply, history_import_check, history_import_plan
from .services.history_rows import COLUMNS, follow_up_window

CANCELLED = "Cancelled by the trainer due to service pressures"
# Last year the voluntary and faith sectors booked less: the demo shows their uptake rising.
QUIETER_SECTORS = {"voluntary_community", "faith"}


def _year_earlier(moment: dt.datetime) -> dt.datetime:
    local = timezone.localtime(moment)
    return local.replace(year=local.year - 1, day=min(local.day, 28) if local.month == 2 else local.day)


def _history_rows(sessions, practitioners, rng) -> list[list[str]]:
    outcomes = ["attended"] * 15 + ["no_show"] * 3
    statuses = ["confirmed"] * 16 + ["waitlisted", "cancelled", "late_cancelled"]
    too_recent = timezone.now() - follow_up_window()
    rows = []
    for session in sessions:
        start, end = _year_earlier(session.start), _year_earlier(session.end)
        if session.venue is None or end > too_recent:
            continue
        cancelled = rng.random() < 0.08
        described = [
            session.course.title,
            session.course.format,
            start.isoformat(timespec="minutes"),
            end.isoformat(timespec="minutes"),
            session.venue.name,
            str(session.capacity),
            "cancelled" if cancelled else "scheduled",
            CANCELLED if cancelled else "",
        ]
        if cancelled:
            rows.append([*described, *[""] * 8])
            continue
        wanted = min(int(session.capacity * rng.uniform(0.5, 1.0)), len(practitioners))
        for user in rng.sample(practitioners, wanted):
            if user.agency.sector.slug in QUIETER_SECTORS and rng.random() < 0.6:
                continue
            status = rng.choice(statuses)
            booked = (start - dt.timedelta(days=rng.randint(7, 60))).date().isoformat()
            rows.append(
                [
                    *described,
                    user.email,
                    user.get_full_name(),
                    user.agency.name,
                    user.agency.sector.slug,
                    user.job_role,
                    booked,
                    status,
                    rng.choice(outcomes) if status == "confirmed" else "",
                ]
            )
    return rows


def _views(courses, periods, rng) -> None:
    views = []
    for course in courses:
        for period in periods:
            days = (min(period.end, timezone.localdate()) - period.start).days
            for _n in range(rng.randint(15, 60) if days > 0 else 0):
                views.append(
                    CourseView(
                        course=course,
                        viewer_key=f"demo-{rng.randrange(400)}",
                        viewed_on=period.start + dt.timedelta(days=rng.randrange(days)),
                    )
                )
    CourseView.objects.bulk_create(views, ignore_conflicts=True)


def reports_demo_seed(*, practitioners, today: dt.date | None = None) -> int:
    """Import last year's history for the demo programme; returns the bookings added."""
    today = today or timezone.localdate()
    rng = random.Random(2025)
    this_year = financial_year(today)
    start, end = this_year.bounds()
    sessions = list(
        Session.objects.filter(start__gte=start, start__lt=end)
        .select_related("course", "venue")
        .order_by("start", "pk")
    )
    people = [user for user in practitioners if user.agency_id]
    _views(
        sorted({session.course for session in sessions}, key=lambda course: course.pk),
        [this_year.year_before(), this_year],
        rng,
    )
    rows = _history_rows(sessions, people, rng)
    if not rows:
        return 0
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    text = out.getvalue()
    plan = history_import_plan(text)
    if not plan.bookings and not plan.new_sessions:
        return 0
    record, _plan = history_import_check(filename=f"demo-{this_year.year_before().start.year}.csv", data=text.encode())
    return history_import_apply(history_import=record).bookings_created
