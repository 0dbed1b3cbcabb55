"""Every read of the reports app. Import selectors from here:
`from reports import selectors; selectors.uptake_report(period)`.

- uptake: the booking, session and view figures (reports/definitions.py)
- sources: evaluation and e-learning figures, from those apps' selectors
- dashboard: what the uptake dashboard adds (year on year, no-shows)
- summary: what the annual Training Summary shows
- recent: the staff pages' lists of recent runs and imports
"""

from .dashboard import UptakeDashboard, uptake_dashboard, year_on_year
from .recent import recent_history_imports, recent_report_runs
from .sources import EMPTY_EVALUATION, elearning_summary, evaluation_headline, evaluation_headlines
from .summary import AnnualSummary, CoursePage, annual_summary, programme_by_format, requirements_by_course
from .uptake import (
    NO_FILTERS,
    UptakeFilters,
    UptakeReport,
    filter_choices,
    sector_slugs,
    undersubscribed_sessions,
    uptake_report,
)

__all__ = [
    "recent_history_imports",
    "recent_report_runs",
    "EMPTY_EVALUATION",
    "NO_FILTERS",
    "AnnualSummary",
    "CoursePage",
    "UptakeDashboard",
    "UptakeFilters",
    "UptakeReport",
    "annual_summary",
    "elearning_summary",
    "evaluation_headline",
    "evaluation_headlines",
    "filter_choices",
    "programme_by_format",
    "requirements_by_course",
    "sector_slugs",
    "undersubscribed_sessions",
    "uptake_dashboard",
    "uptake_report",
    "year_on_year",
]
