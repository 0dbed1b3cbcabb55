"""The training report: every figure of a period as plain data, in the shape
`manage.py training_report --format json` prints. That shape is a stable
interface, documented in docs/reports.md: keys are only ever added to the
"evaluation" object, never renamed or removed."""

import csv
import io
import json

from core.exports import spreadsheet_safe
from core.periods import Period

from . import selectors

COURSE_KEYS = (
    "course",
    "format",
    "sessions_run",
    "sessions_cancelled",
    "places",
    "booked",
    "attended",
    "attendance_rate",
    "turnout_rate",
    "no_shows",
    "late_cancellations",
    "views",
)
AGENCY_KEYS = ("agency", "sector", "contributes", "booked", "attended", "no_shows")
SECTOR_KEYS = ("sector", "booked", "attended", "no_shows")
TOTAL_KEYS = ("sessions_run", "places", "booked", "attended", "individuals_trained")
ELEARNING_KEYS = ("completions", "individuals", "by_module", "by_role")


def training_report(period: Period, *, now=None) -> dict:
    """Courses and agencies with nothing in the period are left out; rates are
    None (JSON null) when their denominator is 0."""
    report = selectors.uptake_report(period, now=now, breakdowns=False)
    evaluations = selectors.evaluation_headlines(period, [row["course_id"] for row in report.courses])
    elearning = selectors.elearning_summary(period)
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "courses": [
            {
                **{name: row[name] for name in COURSE_KEYS},
                "evaluation": evaluations.get(row["course_id"], selectors.EMPTY_EVALUATION),
            }
            for row in report.courses
        ],
        "agencies": [
            {**{name: row[name] for name in AGENCY_KEYS}, "sector": row["sector_slug"]} for row in report.agencies
        ],
        "sectors": [
            {**{name: row[name] for name in SECTOR_KEYS}, "sector": row["sector_slug"]}
            for row in report.sectors
            if row["sector_slug"]
        ],
        "elearning": {name: elearning[name] for name in ELEARNING_KEYS},
        "totals": {name: report.totals[name] for name in TOTAL_KEYS},
    }


def as_json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def as_csv(data: dict) -> str:
    """The report as one CSV file of several tables, each headed by its name
    and separated by a blank line (see docs/reports.md). Text that a
    spreadsheet would run as a formula is written with a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")

    def table(name, header, rows):
        writer.writerow([name])
        writer.writerow(header)
        writer.writerows([["" if value is None else spreadsheet_safe(value) for value in row] for row in rows])
        writer.writerow([])

    table("period", ["from", "to"], [[data["period"]["from"], data["period"]["to"]]])
    evaluation_keys = sorted({key for row in data["courses"] for key in row["evaluation"]} - {"advice_sources"})
    table(
        "courses",
        [*COURSE_KEYS, *(f"evaluation_{key}" for key in evaluation_keys)],
        [
            [*(row[key] for key in COURSE_KEYS), *(row["evaluation"].get(key) for key in evaluation_keys)]
            for row in data["courses"]
        ],
    )
    table("agencies", list(AGENCY_KEYS), [[row[key] for key in AGENCY_KEYS] for row in data["agencies"]])
    table("sectors", list(SECTOR_KEYS), [[row[key] for key in SECTOR_KEYS] for row in data["sectors"]])
    elearning = data["elearning"]
    table("elearning", ["completions", "individuals"], [[elearning["completions"], elearning["individuals"]]])
    table("elearning_by_module", ["module", "completions"], list(elearning["by_module"].items()))
    table("elearning_by_role", ["role", "completions"], list(elearning["by_role"].items()))
    table("totals", list(TOTAL_KEYS), [[data["totals"][key] for key in TOTAL_KEYS]])
    return out.getvalue()
