"""Periods of days that reports cover. Every report defaults to the UK
financial year (1 April to 31 March) and reads dates in Europe/London."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included, in Europe/London."""

    start: dt.date
    end: dt.date

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The first moment of the period and the first moment after it."""
        return (
            timezone.make_aware(dt.datetime.combine(self.start, dt.time.min)),
            timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)),
        )

    @property
    def slug(self) -> str:
        return f"{self.start:%Y-%m-%d}-to-{self.end:%Y-%m-%d}"

    @property
    def compact_slug(self) -> str:
        """The shorter form the e-learning report's export file names use."""
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"

    def session_lookups(self, prefix: str = "") -> dict:
        """Filters for sessions (via `prefix`) that start in the period."""
        first, after = self.bounds()
        return {f"{prefix}start__gte": first, f"{prefix}start__lt": after}

    def year_before(self) -> "Period":
        """The same days a year earlier (for a period longer than a year, as
        many years earlier as it takes not to overlap): the period a
        year-on-year comparison sets this one against."""
        years = 1
        while _years_earlier(self.end, years) >= self.start:
            years += 1
        return Period(_years_earlier(self.start, years), _years_earlier(self.end, years))


def _years_earlier(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def financial_year(day: dt.date) -> Period:
    """The UK financial year (1 April to 31 March) that `day` falls in."""
    first = day.year if day >= dt.date(day.year, 4, 1) else day.year - 1
    return Period(dt.date(first, 4, 1), dt.date(first + 1, 3, 31))


def financial_year_label(first_year: int) -> str:
    """The label of the financial year that starts in `first_year` (2024–25)."""
    return f"{first_year}–{str(first_year + 1)[-2:]}"


def period_from_request(request, form_class=None):
    """The period a report page asks for in its query string (`start`, `end`),
    the current financial year when neither is given, and the form to show
    (a `form_class` like core.forms.PeriodForm, that one unless given); the
    period is None when the dates are wrong (the form says why)."""
    if form_class is None:
        from .forms import PeriodForm as form_class

    default = financial_year(timezone.localdate())
    if "start" not in request.GET and "end" not in request.GET:
        return default, form_class(initial={"start": default.start, "end": default.end})
    form = form_class(request.GET)
    if not form.is_valid():
        return None, form
    return Period(form.cleaned_data["start"], form.cleaned_data["end"]), form
