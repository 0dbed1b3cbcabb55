"""Every uptake figure, read by database aggregation (GROUP BY with filtered
counts), never by looping over bookings in Python. Definitions: see
reports/definitions.py.

A report covers a period and, for year-on-year change, optionally the year
before it: each aggregate query reads both at once, with one set of filtered
counts per period (the year before's named with the suffix `_before`), so the
number of queries is fixed however many courses, agencies or bookings there
are. Rows that aggregate other rows (sectors from agencies, totals from
courses) are summed in Python from those few aggregated rows.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, JobRole, Sector
from bookings.models import Booking
from core.periods import Period
from courses.models import Course, CourseFormat, CourseView, Priority, Session
from courses.selectors import places_taken_annotation

from ..definitions import rate

BEFORE = "_before"
NO_ORGANISATION = _("No organisation recorded")
NO_ROLE = _("No job role recorded")
NO_PRIORITY = _("No partnership priority")

BOOKING_FIGURES = ("booked", "attended", "left_early", "confirmed", "no_shows", "late_cancellations")
SESSION_FIGURES = ("sessions_run", "sessions_cancelled", "places")


@dataclass(frozen=True)
class UptakeFilters:
    """What the dashboard narrows the figures to. Course, format and priority
    narrow the sessions; sector and agency narrow the bookings (by the
    delegate's agency), so places and views stay the programme's."""

    course_id: int | None = None
    format: str = ""
    priority_id: int | None = None
    sector_id: int | None = None
    agency_id: int | None = None

    def sessions(self, prefix: str = "") -> Q:
        q = Q()
        if self.course_id:
            q &= Q(**{f"{prefix}course_id": self.course_id})
        if self.format:
            q &= Q(**{f"{prefix}course__format": self.format})
        if self.priority_id:
            q &= Q(**{f"{prefix}course__in": Course.objects.filter(priorities=self.priority_id).values("pk")})
        return q

    def courses(self) -> Q:
        """The same, for rows that name a course directly (course views)."""
        q = Q()
        if self.course_id:
            q &= Q(course_id=self.course_id)
        if self.format:
            q &= Q(course__format=self.format)
        if self.priority_id:
            q &= Q(course__in=Course.objects.filter(priorities=self.priority_id).values("pk"))
        return q

    def bookings(self) -> Q:
        q = self.sessions("session__")
        if self.sector_id:
            q &= Q(user__agency__sector_id=self.sector_id)
        if self.agency_id:
            q &= Q(user__agency_id=self.agency_id)
        return q


NO_FILTERS = UptakeFilters()


@dataclass(frozen=True)
class _Window:
    """One period's bounds and the suffix its figures carry."""

    suffix: str
    start: dt.datetime
    end: dt.datetime

    def on(self, prefix: str) -> Q:
        return Q(**{f"{prefix}start__gte": self.start, f"{prefix}start__lt": self.end})


@dataclass(frozen=True)
class _Scope:
    """The periods a report reads (this one and perhaps the year before) and the moment it is read."""

    windows: tuple[_Window, ...]
    now: dt.datetime

    @classmethod
    def of(cls, period: Period, previous: Period | None, now: dt.datetime | None = None) -> "_Scope":
        windows = [_Window("", *period.bounds())]
        if previous is not None:
            windows.append(_Window(BEFORE, *previous.bounds()))
        return cls(tuple(windows), now or timezone.now())

    @property
    def start(self) -> dt.datetime:
        return min(window.start for window in self.windows)

    @property
    def end(self) -> dt.datetime:
        return max(window.end for window in self.windows)

    def sessions_in(self, prefix: str = "") -> Q:
        """Sessions starting in any of the periods."""
        return Q(**{f"{prefix}start__gte": self.start, f"{prefix}start__lt": self.end})

    def ran(self, prefix: str = "") -> Q:
        """Sessions in any of the periods that were not cancelled and have started."""
        return (
            self.sessions_in(prefix)
            & Q(**{f"{prefix}start__lte": self.now})
            & ~Q(**{f"{prefix}status": Session.Status.CANCELLED})
        )


def _session_figures(scope: _Scope) -> dict:
    """Per period: sessions run and cancelled, and places, over Session rows."""
    figures = {}
    started = Q(start__lte=scope.now) & ~Q(status=Session.Status.CANCELLED)
    for window in scope.windows:
        ran = window.on("") & started
        figures[f"sessions_run{window.suffix}"] = Count("pk", filter=ran)
        figures[f"sessions_cancelled{window.suffix}"] = Count(
            "pk", filter=window.on("") & Q(status=Session.Status.CANCELLED)
        )
        figures[f"places{window.suffix}"] = Coalesce(Sum("capacity", filter=ran), 0)
    return figures


def _booking_figures(scope: _Scope) -> dict:
    """Per period: the booking counts, over Booking rows already narrowed to sessions that ran."""
    attended = Q(attendance__in=Booking.ATTENDED_VALUES)
    confirmed = Q(status=Booking.Status.CONFIRMED)
    figures = {}
    for window in scope.windows:
        on = window.on("session__") if len(scope.windows) > 1 else Q()
        suffix = window.suffix
        figures[f"booked{suffix}"] = Count("pk", filter=on) if on else Count("pk")
        figures[f"attended{suffix}"] = Count("pk", filter=on & attended)
        figures[f"left_early{suffix}"] = Count("pk", filter=on & Q(attendance=Booking.Attendance.LEFT_EARLY))
        figures[f"confirmed{suffix}"] = Count("pk", filter=on & confirmed)
        figures[f"no_shows{suffix}"] = Count(
            "pk", filter=on & confirmed & Q(attendance=Booking.Attendance.DID_NOT_ATTEND)
        )
        figures[f"late_cancellations{suffix}"] = Count("pk", filter=on & Q(status=Booking.Status.LATE_CANCELLED))
    return figures


def _bookings(scope: _Scope, filters: UptakeFilters) -> QuerySet[Booking]:
    """Every booking on a session that ran in the periods, narrowed by the filters."""
    return Booking.objects.filter(scope.ran("session__")).filter(filters.bookings()).order_by()


def _with_rates(row: dict, scope: _Scope) -> dict:
    for window in scope.windows:
        s = window.suffix
        if f"places{s}" in row:
            row[f"attendance_rate{s}"] = rate(row[f"attended{s}"], row[f"places{s}"])
        row[f"turnout_rate{s}"] = rate(row[f"attended{s}"], row[f"confirmed{s}"])
        row[f"no_show_rate{s}"] = rate(row[f"no_shows{s}"], row[f"confirmed{s}"])
    if len(scope.windows) > 1:
        row["attended_change"] = row["attended"] - row[f"attended{BEFORE}"]
        row["booked_change"] = row["booked"] - row[f"booked{BEFORE}"]
    return row


def _zeros(scope: _Scope, names) -> dict:
    return {f"{name}{window.suffix}": 0 for window in scope.windows for name in names}


def _summed(rows, scope: _Scope, names) -> dict:
    total = _zeros(scope, names)
    for row in rows:
        for key in total:
            total[key] += row[key]
    return total


# --- courses ---------------------------------------------------------------------


def course_rows(scope: _Scope, filters: UptakeFilters) -> list[dict]:
    """One row per course with a session, a booking or a view in any of the
    periods (three GROUP BY queries: sessions, bookings, views), in title order."""
    rows: dict[int, dict] = {}

    def row_for(course_id, title, format_):
        if course_id not in rows:
            rows[course_id] = {
                "course_id": course_id,
                "course": title,
                "format": format_,
                **_zeros(scope, (*SESSION_FIGURES, *BOOKING_FIGURES, "views")),
            }
        return rows[course_id]

    sessions = (
        Session.objects.filter(scope.sessions_in())
        .filter(filters.sessions())
        .values("course_id", title=F("course__title"), format=F("course__format"))
        .annotate(**_session_figures(scope))
        .order_by()
    )
    for row in sessions:
        row_for(row.pop("course_id"), row.pop("title"), row.pop("format")).update(row)
    bookings = (
        _bookings(scope, filters)
        .values(
            course_id=F("session__course_id"), title=F("session__course__title"), format=F("session__course__format")
        )
        .annotate(**_booking_figures(scope))
    )
    for row in bookings:
        row_for(row.pop("course_id"), row.pop("title"), row.pop("format")).update(row)
    views = (
        CourseView.objects.filter(viewed_on__gte=_first_day(scope), viewed_on__lte=_last_day(scope))
        .filter(filters.courses())
        .values("course_id", title=F("course__title"), format=F("course__format"))
        .annotate(
            **{
                f"views{window.suffix}": Count("viewer_key", distinct=True, filter=_viewed_in(window))
                for window in scope.windows
            }
        )
        .order_by()
    )
    for row in views:
        row_for(row.pop("course_id"), row.pop("title"), row.pop("format")).update(row)
    return sorted(
        (_with_rates(row, scope) for row in rows.values()), key=lambda r: (r["course"].casefold(), r["course_id"])
    )


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _first_day(scope: _Scope) -> dt.date:
    return _local_day(scope.start)


def _last_day(scope: _Scope) -> dt.date:
    return _local_day(scope.end) - dt.timedelta(days=1)


def _viewed_in(window: _Window) -> Q:
    return Q(viewed_on__gte=_local_day(window.start), viewed_on__lt=_local_day(window.end))


def _has_something(row: dict) -> bool:
    """A course with nothing in the period (no session run or cancelled, no booking, no view) is left out."""
    return any(row[name] for name in ("sessions_run", "sessions_cancelled", "booked", "views"))


def cancellation_reasons(period: Period, filters: UptakeFilters = NO_FILTERS) -> dict[int, list[dict]]:
    """{course id: [{"reason", "sessions"}]} for sessions cancelled in the period (one query)."""
    start, end = period.bounds()
    reasons = defaultdict(list)
    rows = (
        Session.objects.filter(start__gte=start, start__lt=end, status=Session.Status.CANCELLED)
        .filter(filters.sessions())
        .values("course_id", "cancellation_reason")
        .annotate(sessions=Count("pk"))
        .order_by("course_id", "-sessions", "cancellation_reason")
    )
    for row in rows:
        reasons[row["course_id"]].append({"reason": row["cancellation_reason"], "sessions": row["sessions"]})
    return dict(reasons)


# --- agencies, sectors, contributing partners, job roles ----------------------------


def agency_rows(scope: _Scope, filters: UptakeFilters) -> list[dict]:
    """One row per agency (and one for delegates with none) with a booking in
    any of the periods: two queries, the counts grouped by agency id alone
    (grouping by names as well costs a third more) and the agencies' names."""
    rows = list(_bookings(scope, filters).values(agency_id=F("user__agency_id")).annotate(**_booking_figures(scope)))
    agencies = {
        pk: {"agency": name, "sector_id": sector_id, "sector_slug": slug, "sector": sector, "contributes": contributes}
        for pk, name, sector_id, slug, sector, contributes in Agency.objects.filter(
            pk__in=[row["agency_id"] for row in rows if row["agency_id"]]
        ).values_list("pk", "name", "sector_id", "sector__slug", "sector__name", "contributes")
    }
    nobody = {"agency": None, "sector_id": None, "sector_slug": None, "sector": None, "contributes": None}
    return [_with_rates({**row, **agencies.get(row["agency_id"], nobody)}, scope) for row in rows]


def _rolled_up(agencies: list[dict], scope: _Scope, key: str, labels) -> list[dict]:
    groups = defaultdict(list)
    for row in agencies:
        groups[row[key]].append(row)
    rolled = []
    for value, rows in groups.items():
        rolled.append(
            _with_rates(
                {
                    key: value,
                    **labels(rows[0]),
                    "agencies": sum(1 for row in rows if row["agency_id"] is not None and row["booked"]),
                    **_summed(rows, scope, BOOKING_FIGURES),
                },
                scope,
            )
        )
    return rolled


def sector_rows(agencies: list[dict], scope: _Scope) -> list[dict]:
    """Agencies' figures added up by sector, every sector listed (with none for
    delegates without an organisation, last)."""
    rolled = {
        row["sector_id"]: row
        for row in _rolled_up(
            agencies, scope, "sector_id", lambda row: {"sector": row["sector"], "sector_slug": row["sector_slug"]}
        )
    }
    rows = []
    for sector in Sector.objects.order_by("name"):
        rows.append(
            rolled.get(sector.pk)
            or _with_rates(
                {
                    "sector_id": sector.pk,
                    "sector": sector.name,
                    "sector_slug": sector.slug,
                    "agencies": 0,
                    **_zeros(scope, BOOKING_FIGURES),
                },
                scope,
            )
        )
    if None in rolled:
        rows.append({**rolled[None], "sector": NO_ORGANISATION, "sector_slug": ""})
    return rows


def contribution_rows(agencies: list[dict], scope: _Scope) -> list[dict]:
    """Contributing and non-contributing agencies side by side (and delegates with no organisation)."""
    rolled = {row["contributes"]: row for row in _rolled_up(agencies, scope, "contributes", lambda row: {})}
    labels = [(True, _("Contributing partners")), (False, _("Non-contributing agencies"))]
    rows = [
        {
            **(
                rolled.get(value)
                or _with_rates({"contributes": value, "agencies": 0, **_zeros(scope, BOOKING_FIGURES)}, scope)
            ),
            "group": label,
        }
        for value, label in labels
    ]
    if None in rolled:
        rows.append({**rolled[None], "group": NO_ORGANISATION})
    return rows


def role_rows(scope: _Scope, filters: UptakeFilters) -> list[dict]:
    """Bookings by the delegate's job role (one query), in the order the roles are listed."""
    rows = {
        row["job_role"]: row
        for row in _bookings(scope, filters).values(job_role=F("user__job_role")).annotate(**_booking_figures(scope))
    }
    order = [value for value, _label in JobRole.choices] + [""]
    ordered = sorted(
        rows.values(), key=lambda row: order.index(row["job_role"]) if row["job_role"] in order else len(order)
    )
    for row in ordered:
        row["role"] = (
            JobRole(row["job_role"]).label if row["job_role"] in JobRole.values else (row["job_role"] or NO_ROLE)
        )
        _with_rates(row, scope)
    return ordered


# --- priorities, under-subscribed sessions, totals ---------------------------------------


def priority_rows(scope: _Scope, filters: UptakeFilters) -> list[dict]:
    """Sessions, places and bookings for each partnership priority (two queries).
    A course with several priorities counts towards each."""
    rows: dict = {}

    def row_for(priority_id, name):
        return rows.setdefault(
            priority_id,
            {
                "priority_id": priority_id,
                "priority": name or NO_PRIORITY,
                **_zeros(scope, (*SESSION_FIGURES, *BOOKING_FIGURES)),
            },
        )

    sessions = (
        Session.objects.filter(scope.sessions_in())
        .filter(filters.sessions())
        .values(priority_id=F("course__priorities__id"), name=F("course__priorities__name"))
        .annotate(**_session_figures(scope))
        .order_by()
    )
    for row in sessions:
        row_for(row.pop("priority_id"), row.pop("name")).update(row)
    bookings = (
        _bookings(scope, filters)
        .values(priority_id=F("session__course__priorities__id"), name=F("session__course__priorities__name"))
        .annotate(**_booking_figures(scope))
    )
    for row in bookings:
        row_for(row.pop("priority_id"), row.pop("name")).update(row)
    return sorted(
        (
            _with_rates(row, scope)
            for row in rows.values()
            if row["sessions_run"] or row["sessions_cancelled"] or row["booked"]
        ),
        key=lambda row: (row["priority_id"] is None, str(row["priority"]).casefold()),
    )


def undersubscribed_sessions(period: Period, filters: UptakeFilters = NO_FILTERS) -> QuerySet[Session]:
    """Sessions in the period, not cancelled, with fewer places taken than
    their minimum numbers (the rule the staff pages use), with how many
    attended; one query."""
    start, end = period.bounds()
    return (
        Session.objects.filter(start__gte=start, start__lt=end, status=Session.Status.SCHEDULED)
        .filter(filters.sessions())
        .select_related("course", "venue")
        .annotate(
            places_taken=places_taken_annotation(),
            attended=Count("bookings", filter=Q(bookings__attendance__in=Booking.ATTENDED_VALUES)),
        )
        .filter(places_taken__lt=F("minimum_numbers"))
        .order_by("start", "pk")
    )


def individuals_trained(scope: _Scope, filters: UptakeFilters) -> dict:
    """Different delegates who attended a session that ran, per period (one query)."""
    attended = Q(attendance__in=Booking.ATTENDED_VALUES)
    return _bookings(scope, filters).aggregate(
        **{
            f"individuals_trained{window.suffix}": Count(
                "user", distinct=True, filter=attended & (window.on("session__") if len(scope.windows) > 1 else Q())
            )
            for window in scope.windows
        }
    )


def _totals(courses: list[dict], individuals: dict, scope: _Scope) -> dict:
    totals = {**_summed(courses, scope, (*SESSION_FIGURES, *BOOKING_FIGURES, "views")), **individuals}
    return _with_rates(totals, scope)


# --- the whole report ----------------------------------------------------------------


@dataclass
class UptakeReport:
    period: Period
    previous: Period | None
    filters: UptakeFilters
    courses: list[dict]
    agencies: list[dict]
    sectors: list[dict]
    contributions: list[dict]
    roles: list[dict]
    priorities: list[dict]
    totals: dict
    cancellations: dict = field(default_factory=dict)


def uptake_report(
    period: Period,
    *,
    previous: Period | None = None,
    filters: UptakeFilters = NO_FILTERS,
    now=None,
    breakdowns: bool = True,
) -> UptakeReport:
    """Every uptake figure of a period (and, when given, the year before):
    courses, agencies, sectors, contributing partners, job roles, priorities
    and totals, in ten queries whatever the amount of data; six without the
    `breakdowns` by job role and priority and the cancellation reasons."""
    scope = _Scope.of(period, previous, now)
    all_courses = course_rows(scope, filters)
    agencies = agency_rows(scope, filters)
    return UptakeReport(
        period=period,
        previous=previous,
        filters=filters,
        courses=[row for row in all_courses if _has_something(row)],
        agencies=sorted(
            (row for row in agencies if row["agency_id"] is not None and row["booked"]),
            key=lambda row: (row["agency"].casefold(), row["agency_id"]),
        ),
        sectors=sector_rows(agencies, scope),
        contributions=contribution_rows(agencies, scope),
        roles=[row for row in role_rows(scope, filters) if row["booked"]] if breakdowns else [],
        priorities=priority_rows(scope, filters) if breakdowns else [],
        totals=_totals(all_courses, individuals_trained(scope, filters), scope),
        cancellations=cancellation_reasons(period, filters) if breakdowns else {},
    )


# --- choices for the dashboard's filters ----------------------------------------------


def filter_choices() -> dict:
    """The dashboard's filter options (four small queries)."""
    return {
        "courses": list(Course.objects.order_by("title").values_list("pk", "title")),
        "formats": CourseFormat.choices,
        "priorities": list(Priority.objects.order_by("name").values_list("pk", "name")),
        "sectors": list(Sector.objects.order_by("name").values_list("pk", "name")),
        "agencies": list(Agency.objects.order_by("name").values_list("pk", "name")),
    }


def sector_slugs() -> list[str]:
    """The sector slugs an import names sectors by."""
    return list(Sector.objects.order_by("slug").values_list("slug", flat=True))
