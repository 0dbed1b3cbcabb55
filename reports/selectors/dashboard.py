"""What the uptake dashboard shows, beyond the uptake report itself."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.periods import Period

from .sources import EMPTY_EVALUATION, evaluation_headlines
from .uptake import BEFORE, NO_FILTERS, UptakeFilters, UptakeReport, undersubscribed_sessions, uptake_report

# --- the dashboard -------------------------------------------------------------------------


YEAR_ON_YEAR = [
    ("sessions_run", _("Sessions run"), "count"),
    ("sessions_cancelled", _("Sessions cancelled"), "count"),
    ("places", _("Places"), "count"),
    ("booked", _("Booked"), "count"),
    ("attended", _("Attended"), "count"),
    ("attendance_rate", _("Attendance rate"), "rate"),
    ("turnout_rate", _("Turnout"), "rate"),
    ("no_shows", _("No-shows"), "count"),
    ("late_cancellations", _("Late cancellations"), "count"),
    ("individuals_trained", _("Individuals trained"), "count"),
    ("views", _("Course page views"), "count"),
]


def year_on_year(totals: dict) -> list[dict]:
    """This period's totals beside the year before's, with the change (in
    points for rates; none when either rate is blank)."""
    rows = []
    for name, label, kind in YEAR_ON_YEAR:
        now, before = totals[name], totals[f"{name}{BEFORE}"]
        change = None if now is None or before is None else round(now - before, 1) if kind == "rate" else now - before
        rows.append({"name": name, "measure": label, "kind": kind, "now": now, "before": before, "change": change})
    return rows


@dataclass
class UptakeDashboard:
    report: UptakeReport
    year_on_year: list[dict]
    no_shows: list[dict]
    undersubscribed: QuerySet


def uptake_dashboard(period: Period, filters: UptakeFilters = NO_FILTERS) -> UptakeDashboard:
    """Everything the PPT dashboard shows, in a fixed number of queries: the
    uptake report with the year before, each course's evaluation headlines
    (the course's, whatever sector or agency is chosen), agencies whose
    delegates booked and did not come, and under-subscribed sessions."""
    report = uptake_report(period, previous=period.year_before(), filters=filters)
    headlines = evaluation_headlines(period, [row["course_id"] for row in report.courses])
    for row in report.courses:
        row["evaluation"] = headlines.get(row["course_id"], EMPTY_EVALUATION)
        row["cancellations"] = report.cancellations.get(row["course_id"], [])
    no_shows = sorted(
        (row for row in report.agencies if row["no_shows"]),
        key=lambda row: (-row["no_shows"], row["agency"].casefold()),
    )
    return UptakeDashboard(
        report=report,
        year_on_year=year_on_year(report.totals),
        no_shows=no_shows,
        undersubscribed=undersubscribed_sessions(period, filters),
    )
