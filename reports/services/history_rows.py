"""Reading a history file: every row checked on its own and against the
rows before it, into the sessions and bookings it describes (see
reports/services/imports.py for the rules and what is done with them)."""

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import JobRole
from bookings.models import Booking
from core.csvimport import ImportRejected, key, read_csv, tidy
from courses.models import CourseFormat, Session

COLUMNS = (
    "course",
    "format",
    "session_start",
    "session_end",
    "venue",
    "capacity",
    "session_status",
    "cancellation_reason",
    "delegate_email",
    "delegate_name",
    "agency",
    "sector",
    "role",
    "booked_at",
    "booking_status",
    "attendance",
)
BOOKING_COLUMNS = ("delegate_name", "agency", "sector", "role", "booked_at", "booking_status", "attendance")
BOOKING_STATUSES = ("confirmed", "waitlisted", "cancelled", "late_cancelled")
ATTENDANCE = {"attended": Booking.Attendance.ATTENDED, "no_show": Booking.Attendance.DID_NOT_ATTEND, "": ""}
LIVE = (Booking.Status.CONFIRMED, Booking.Status.WAITLISTED)
MAX_CAPACITY = 10_000
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
MAX_LENGTHS = {
    "course": 200,
    "venue": 200,
    "cancellation_reason": 300,
    "delegate_email": 254,
    "delegate_name": 300,
    "agency": 200,
    "role": 100,
}
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class SessionRow:
    line: int
    course: str  # key
    course_title: str
    format: str
    start: dt.datetime
    end: dt.datetime
    venue: str  # key
    venue_name: str
    capacity: int
    status: str
    reason: str

    @property
    def key(self):
        return (self.course, self.start, self.venue)


@dataclass
class BookingRow:
    line: int
    session: tuple  # SessionRow.key
    email: str
    name: str
    agency: str  # key, "" when not given
    agency_name: str
    sector: str
    role: str  # a JobRole value or ""
    booked_at: dt.datetime
    status: str
    attendance: str

    @property
    def key(self):
        return (self.session, self.email, self.booked_at)


@dataclass
class ImportPlan:
    """What a file would do, worked out without writing anything."""

    sessions: dict = field(default_factory=dict)  # session key → SessionRow (first row naming it)
    bookings: list = field(default_factory=list)  # BookingRow, new only
    repeated_rows: int = 0
    existing_bookings: int = 0
    courses: dict = field(default_factory=dict)  # key → course id
    venues: dict = field(default_factory=dict)  # key → venue id
    session_ids: dict = field(default_factory=dict)  # session key → id
    agencies: dict = field(default_factory=dict)  # key → agency id
    users: dict = field(default_factory=dict)  # email → user id
    sectors: dict = field(default_factory=dict)  # slug → sector id
    new_courses: dict = field(default_factory=dict)  # key → (title, format)
    new_venues: dict = field(default_factory=dict)  # key → name
    new_agencies: dict = field(default_factory=dict)  # key → (name, sector slug)
    new_delegates: dict = field(default_factory=dict)  # email → BookingRow that introduces them
    rows: int = 0

    @property
    def new_sessions(self) -> list:
        return [row for session_key, row in self.sessions.items() if session_key not in self.session_ids]

    def summary(self) -> dict:
        return {
            "rows": self.rows,
            "sessions_new": len(self.new_sessions),
            "sessions_existing": len(self.session_ids),
            "bookings_new": len(self.bookings),
            "bookings_existing": self.existing_bookings,
            "repeated_rows": self.repeated_rows,
            "courses_new": sorted(title for title, _format in self.new_courses.values()),
            "venues_new": sorted(self.new_venues.values()),
            "agencies_new": sorted(name for name, _slug in self.new_agencies.values()),
            "delegates_new": len(self.new_delegates),
        }


# --- reading the file ---------------------------------------------------------


def _moment(text: str, london: ZoneInfo) -> dt.datetime:
    """An ISO 8601 date and time; local (UK) time when it has no offset."""
    if not _MOMENT.fullmatch(text):
        raise ValueError
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=london)


def _booked_at(text: str, london: ZoneInfo) -> dt.datetime:
    if _DAY.fullmatch(text):
        return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(9), tzinfo=london)
    return _moment(text, london)


def _role_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in JobRole.choices:
        for text in (value, value.replace("_", " "), str(label)):
            lookup[key(text)] = value
    return lookup


def _when(value: dict, column: str, london, wrong: list, parse=_moment):
    text = value[column]
    if not text:
        wrong.append(_("%(column)s is missing") % {"column": column})
        return None
    try:
        moment = parse(text, london)
    except ValueError:
        wrong.append(
            _(
                "%(column)s “%(text)s” is not a date and time: write it as YYYY-MM-DDTHH:MM "
                "(e.g. 2024-05-14T09:30), in UK time unless it ends with an offset such as +01:00"
            )
            % {"column": column, "text": text}
        )
        return None
    if moment < EARLIEST:
        wrong.append(_("%(column)s %(text)s is before 2000") % {"column": column, "text": text})
        return None
    return moment


def _session_row(line: int, value: dict, london, now, wrong: list) -> SessionRow | None:
    if not value["course"]:
        wrong.append(_("the course is missing"))
    if value["format"].lower() not in CourseFormat.values:
        wrong.append(
            _("format “%(format)s” is not one of %(formats)s")
            % {"format": value["format"], "formats": ", ".join(CourseFormat.values)}
        )
    start = _when(value, "session_start", london, wrong)
    end = _when(value, "session_end", london, wrong)
    if start and end and end <= start:
        wrong.append(
            _("the session ends (%(end)s) before it starts (%(start)s)")
            % {"end": value["session_end"], "start": value["session_start"]}
        )
    elif end and end > now:
        wrong.append(
            _("the session has not finished yet (it ends %(end)s): only past sessions can be imported")
            % {"end": value["session_end"]}
        )
    if not value["venue"]:
        wrong.append(_("the venue is missing"))
    capacity = None
    if not value["capacity"].isdigit() or not 1 <= int(value["capacity"]) <= MAX_CAPACITY:
        wrong.append(
            _("capacity “%(capacity)s” is not a whole number of places from 1 to %(most)s")
            % {"capacity": value["capacity"], "most": MAX_CAPACITY}
        )
    else:
        capacity = int(value["capacity"])
    status = value["session_status"].lower()
    if status not in Session.Status.values:
        wrong.append(
            _("session_status “%(status)s” is not scheduled or cancelled") % {"status": value["session_status"]}
        )
    elif status == Session.Status.SCHEDULED and value["cancellation_reason"]:
        wrong.append(_("a cancellation reason is given but session_status is scheduled"))
    if wrong:
        return None
    return SessionRow(
        line=line,
        course=key(value["course"]),
        course_title=tidy(value["course"]),
        format=value["format"].lower(),
        start=start,
        end=end,
        venue=key(value["venue"]),
        venue_name=tidy(value["venue"]),
        capacity=capacity,
        status=status,
        reason=tidy(value["cancellation_reason"]),
    )


def _booking_row(line: int, value: dict, session: SessionRow, london, now, roles, wrong: list) -> BookingRow | None:
    email = value["delegate_email"].lower()
    try:
        validate_email(email)
    except ValidationError:
        wrong.append(_("“%(email)s” is not an e-mail address") % {"email": value["delegate_email"]})
    booked_at = session.start
    if value["booked_at"]:
        booked_at = _when(value, "booked_at", london, wrong, parse=_booked_at)
        if booked_at and booked_at > now:
            wrong.append(_("booked_at %(when)s is in the future") % {"when": value["booked_at"]})
    status = value["booking_status"].lower()
    if status not in BOOKING_STATUSES:
        wrong.append(
            _("booking_status “%(status)s” is not one of %(statuses)s")
            % {"status": value["booking_status"], "statuses": ", ".join(BOOKING_STATUSES)}
        )
    attendance = value["attendance"].lower()
    if attendance not in ATTENDANCE:
        wrong.append(
            _("attendance “%(attendance)s” is not attended, no_show or empty") % {"attendance": value["attendance"]}
        )
    elif attendance and status in BOOKING_STATUSES and status != Booking.Status.CONFIRMED:
        wrong.append(
            _("attendance is marked on a booking that is %(status)s: only confirmed bookings have attendance")
            % {"status": status}
        )
    elif attendance and session.status == Session.Status.CANCELLED:
        wrong.append(_("attendance is marked on a cancelled session"))
    elif attendance and session.end > now - follow_up_window():
        wrong.append(
            _(
                "attendance on a session that ended less than %(days)s days ago cannot be imported (its "
                "delegates would be sent the follow-up evaluation): mark it on the session's register"
            )
            % {"days": follow_up_window().days}
        )
    role = ""
    if value["role"]:
        role = roles.get(key(value["role"]), "")
        if not role:
            wrong.append(
                _("role “%(role)s” is not one of our job roles (%(roles)s)")
                % {"role": value["role"], "roles": ", ".join(JobRole.values)}
            )
    if wrong:
        return None
    if session.status == Session.Status.CANCELLED and status in LIVE:
        status = Booking.Status.SESSION_CANCELLED
    return BookingRow(
        line=line,
        session=session.key,
        email=email,
        name=tidy(value["delegate_name"]),
        agency=key(value["agency"]),
        agency_name=tidy(value["agency"]),
        sector=value["sector"].lower(),
        role=role,
        booked_at=booked_at,
        status=status,
        attendance=ATTENDANCE[attendance],
    )


def follow_up_window() -> dt.timedelta:
    """How long after a session its delegates may still be sent the follow-up evaluation."""
    return dt.timedelta(weeks=settings.EVALUATION_FOLLOW_UP_WEEKS, days=settings.EVALUATION_FOLLOW_UP_OPEN_DAYS)


SESSION_FIELDS = (
    ("end", "session_end"),
    ("capacity", "capacity"),
    ("status", "session_status"),
    ("reason", "cancellation_reason"),
)


def read_rows(text: str, plan: ImportPlan, problems: dict, progress=None) -> list[BookingRow]:
    """Every row checked on its own and against the rows before it; `progress`
    is told how many rows have been read, now and then."""
    london = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    roles = _role_lookup()
    bookings = []
    course_formats = {}  # course key → (format, line)
    for line, value in read_csv(text, COLUMNS, progress):
        plan.rows += 1
        if value is None:
            problems[line] = [_("it does not have %(n)s cells, one for each column") % {"n": len(COLUMNS)}]
            continue
        wrong = [
            _("%(column)s is longer than %(limit)s characters") % {"column": name, "limit": limit}
            for name, limit in MAX_LENGTHS.items()
            if len(value[name]) > limit
        ]
        session = _session_row(line, value, london, now, wrong)
        booking = None
        if session is not None:
            first = plan.sessions.setdefault(session.key, session)
            for attribute, column in SESSION_FIELDS:
                if getattr(first, attribute) != getattr(session, attribute):
                    wrong.append(
                        _("%(column)s differs from line %(line)s, which gives the same session")
                        % {"column": column, "line": first.line}
                    )
            known_format, known_line = course_formats.setdefault(session.course, (session.format, line))
            if known_format != session.format:
                wrong.append(
                    _("format %(format)s differs from line %(line)s, which gives the same course as %(other)s")
                    % {"format": session.format, "line": known_line, "other": known_format}
                )
            if value["delegate_email"]:
                booking = _booking_row(line, value, session, london, now, roles, wrong)
            else:
                given = [column for column in BOOKING_COLUMNS if value[column]]
                if given:
                    wrong.append(
                        _(
                            "%(columns)s given but delegate_email is empty (a row with no delegate only "
                            "describes a session)"
                        )
                        % {"columns": ", ".join(given)}
                    )
        if wrong:
            problems[line] = wrong
        elif booking is not None:
            bookings.append(booking)
    if not plan.rows:
        raise ImportRejected(_("The file has no rows in it, only the row of column names."))
    return bookings
