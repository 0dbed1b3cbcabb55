"""What the annual Training Summary PDF shows (reports/pdf.py draws it)."""

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking
from core.periods import Period
from courses.models import Course, CourseFormat

from ..definitions import rate
from .uptake import UptakeReport, _Scope, uptake_report

# --- the annual Training Summary ---------------------------------------------------------


def requirements_by_course(period: Period, course_ids) -> dict[int, dict]:
    """Additional requirements that delegates with a confirmed place asked for,
    on sessions that ran, per course (one query)."""
    scope = _Scope.of(period, None)
    confirmed = Q(status=Booking.Status.CONFIRMED)
    rows = (
        Booking.objects.filter(scope.ran("session__"), confirmed, session__course_id__in=list(course_ids))
        .values(course_id=F("session__course_id"))
        .annotate(
            step_free_access=Count("pk", filter=Q(needs_step_free_access=True)),
            bsl_interpreter=Count("pk", filter=Q(needs_bsl_interpreter=True)),
            hearing_loop=Count("pk", filter=Q(needs_hearing_loop=True)),
            dietary=Count("pk", filter=~Q(dietary_requirements="")),
            other=Count("pk", filter=~Q(requirements="")),
        )
        .order_by()
    )
    return {row.pop("course_id"): row for row in rows}


@dataclass
class CoursePage:
    """What the annual summary says about one course."""

    figures: dict
    cancellations: list
    evaluation: object  # evaluations.report.EvaluationReport, or None
    quotes: list[str]
    requirements: dict


@dataclass
class AnnualSummary:
    period: Period
    uptake: UptakeReport
    by_format: list[dict]
    elearning: dict
    elearning_roles: list[dict]
    course_pages: list[CoursePage]


def programme_by_format(courses: list[dict]) -> list[dict]:
    """The programme delivered, by course format (summed from the course rows)."""
    rows = []
    for value, label in CourseFormat.choices:
        mine = [row for row in courses if row["format"] == value]
        if not mine:
            continue
        rows.append(
            {
                "format": value,
                "label": label,
                "courses": sum(1 for row in mine if row["sessions_run"]),
                **{
                    name: sum(row[name] for row in mine)
                    for name in ("sessions_run", "sessions_cancelled", "places", "booked", "attended")
                },
            }
        )
        rows[-1]["attendance_rate"] = rate(rows[-1]["attended"], rows[-1]["places"])
    return rows


def annual_summary(period: Period, course_ids, *, progress=lambda percent, stage: None) -> AnnualSummary:
    """Everything the annual Training Summary shows. `progress(percent, stage)`
    is told how far it has got; each selected course costs a few queries (its
    evaluation report and quotes), the rest a fixed number."""
    from elearning.selectors import elearning_report
    from evaluations.selectors import course_report, quotes_published

    progress(5, _("Adding up sessions and bookings"))
    uptake = uptake_report(period, previous=period.year_before())
    progress(20, _("Adding up e-learning"))
    elearning = elearning_report(period=period)
    wanted = [row for row in uptake.courses if row["course_id"] in set(course_ids)]
    requirements = requirements_by_course(period, [row["course_id"] for row in wanted])
    courses = {course.pk: course for course in Course.objects.filter(pk__in=[row["course_id"] for row in wanted])}
    pages = []
    for number, row in enumerate(wanted, start=1):
        progress(
            25 + 60 * (number - 1) // max(len(wanted), 1),
            _("Course %(n)s of %(total)s: %(course)s") % {"n": number, "total": len(wanted), "course": row["course"]},
        )
        course = courses[row["course_id"]]
        quotes = quotes_published(period).filter(answer__response__request__booking__session__course=course)
        pages.append(
            CoursePage(
                figures=row,
                cancellations=uptake.cancellations.get(row["course_id"], []),
                evaluation=course_report(course, period),
                quotes=[quote.text for quote in quotes],
                requirements=requirements.get(row["course_id"], {}),
            )
        )
    progress(85, _("Drawing the charts and pages"))
    return AnnualSummary(
        period=period,
        uptake=uptake,
        by_format=programme_by_format(uptake.courses),
        elearning={"completions": elearning.totals["completions"], "individuals": elearning.totals["people"]},
        elearning_roles=elearning.by_role,
        course_pages=pages,
    )
