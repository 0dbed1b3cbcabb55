"""Importing past years' sessions and bookings from a spreadsheet, so uptake
trends start on the day the partnership moves to this system.

Why the rows are written directly, in bulk, and not through the booking
services: those services run today's rules for a booking made today (places
left, booking windows, agency caps, line-manager approval, charges) and tell
people about it (confirmations, evaluations, invoices). None of that applies
to a booking made and attended years ago, and a past delegate must never get
an e-mail because their history was brought in. So this module checks the
file itself and writes the records with bulk_create inside one transaction;
every imported booking still gets its history entry, naming the file.

The file is checked whole before anything is written (by a task after the
staff page's `history_import_upload`, or at once by the command's
`history_import_check`) and applied in one transaction (`history_import_apply`,
by a task after `history_import_confirm`), which checks it again against the
database as it is then: any bad row rejects the whole file, with every bad
row and why (core.csvimport has the life of an import). Lookups and writes go in batches, so the number of
queries grows with the file's size divided by BATCH, never with its rows.

Rules, as the staff page explains them:
- One row per booking; a row with no delegate_email only describes a session
  (e.g. a cancelled one nobody had booked).
- Sessions are matched by (course, session_start, venue); courses by title and
  venues and agencies by name, ignoring case; delegates by e-mail address.
  Courses, venues, agencies and delegates are created when new. A new course
  is hidden from the calendar; a new delegate has no usable password and no
  verified address. Existing records are never changed by an import.
- Every row of a session must agree on its end, places, status and
  cancellation reason, and every row of a course on its format; a session or
  course already listed must agree with the file.
- Only sessions that have finished can be imported. Attendance is marked only
  on confirmed bookings of sessions that ran, and not for sessions that ended
  within the evaluation follow-up window (EVALUATION_FOLLOW_UP_WEEKS plus
  EVALUATION_FOLLOW_UP_OPEN_DAYS): the follow-up questionnaire would otherwise
  be e-mailed to those delegates. Mark recent attendance on the register.
- A booking is identified by its session, delegate and booked_at (the
  session's start when booked_at is empty): a row repeating one already in
  the file or in the database is skipped if it says the same, and rejected if
  it says something else. Re-importing a file therefore changes nothing.
- Confirmed and waiting-list bookings on a cancelled session are recorded as
  "session cancelled", as the booking system itself records them.
"""

import datetime as dt
import re
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Agency, Sector, User
from accounts.roles import Role
from bookings.models import Booking, BookingHistory
from core import csvimport
from core.csvimport import ImportRejected, key, rejection, split_name
from courses.models import Course, CourseLevel, Session, Venue

from ..models import HistoryImport
from .history_rows import COLUMNS, LIVE, SESSION_FIELDS, BookingRow, ImportPlan, read_rows

BATCH = 2000  # rows looked up or written at a time
_LEVEL = re.compile(r"\blevel\s*([123])\b", re.IGNORECASE)


# --- matching with the database ----------------------------------------------


def _batches(items):
    items = list(items)
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _by_lower_name(model, field_name: str, keys) -> dict:
    found = {}
    for batch in _batches(keys):
        rows = model.objects.annotate(lower=Lower(field_name)).filter(lower__in=batch).values_list("pk", field_name)
        found.update((key(name), pk) for pk, name in rows)
    return found


def _match_sessions(plan: ImportPlan, problems: dict) -> dict:
    """Find the file's sessions already in the database and check they agree.
    Returns {session id: [existing booking rows]} for those sessions."""
    plan.sectors = dict(Sector.objects.values_list("slug", "pk"))
    courses = {}
    for batch in _batches({row.course for row in plan.sessions.values()}):
        for pk, title, format_ in (
            Course.objects.annotate(lower=Lower("title")).filter(lower__in=batch).values_list("pk", "title", "format")
        ):
            courses[key(title)] = (pk, format_)
    plan.courses = {course: pk for course, (pk, _format) in courses.items()}
    plan.venues = _by_lower_name(Venue, "name", {row.venue for row in plan.sessions.values()})
    for row in plan.sessions.values():
        if row.course in courses and courses[row.course][1] != row.format:
            problems.setdefault(row.line, []).append(
                _("the course “%(course)s” is listed as %(listed)s, not %(format)s")
                % {"course": row.course_title, "listed": courses[row.course][1], "format": row.format}
            )
        elif row.course not in courses:
            plan.new_courses.setdefault(row.course, (row.course_title, row.format))
        if row.venue not in plan.venues:
            plan.new_venues.setdefault(row.venue, row.venue_name)

    wanted = [row for row in plan.sessions.values() if row.course in plan.courses and row.venue in plan.venues]
    by_pair = {(plan.courses[row.course], plan.venues[row.venue], row.start): row for row in wanted}
    existing = {}
    for batch in _batches(wanted):
        rows = Session.objects.filter(
            course_id__in={plan.courses[row.course] for row in batch},
            venue_id__in={plan.venues[row.venue] for row in batch},
            start__in={row.start for row in batch},
        ).values("pk", "course_id", "venue_id", "start", "end", "capacity", "status", "cancellation_reason")
        for session in rows:
            row = by_pair.get((session["course_id"], session["venue_id"], session["start"]))
            if row is None:
                continue
            if row.key in plan.session_ids:
                problems.setdefault(row.line, []).append(_("this session matches two sessions already listed"))
                continue
            plan.session_ids[row.key] = session["pk"]
            listed = {
                "end": session["end"],
                "capacity": session["capacity"],
                "status": session["status"],
                "reason": session["cancellation_reason"],
            }
            for attribute, column in SESSION_FIELDS:
                if listed[attribute] != getattr(row, attribute):
                    problems.setdefault(row.line, []).append(
                        _("%(column)s differs from the session already listed (%(value)s)")
                        % {"column": column, "value": _shown(listed[attribute])}
                    )
            existing[session["pk"]] = []
    for batch in _batches(existing):
        for booking in Booking.objects.filter(session_id__in=batch).values(
            "session_id", "user_id", "created_at", "status", "attendance"
        ):
            existing[booking["session_id"]].append(booking)
    return existing


def _shown(value) -> str:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
    return str(value) if value != "" else _("none")


def _match_people(plan: ImportPlan, bookings: list[BookingRow], problems: dict) -> None:
    plan.agencies = _by_lower_name(Agency, "name", {row.agency for row in bookings if row.agency})
    for batch in _batches({row.email for row in bookings}):
        plan.users.update(User.objects.filter(email__in=batch).values_list("email", "pk"))
    slugs = ", ".join(sorted(plan.sectors))
    for row in bookings:
        wrong = []
        if row.sector and row.sector not in plan.sectors:
            wrong.append(
                _("“%(sector)s” is not one of our sectors (%(slugs)s)") % {"sector": row.sector, "slugs": slugs}
            )
        if row.agency and row.agency not in plan.agencies:
            if not row.sector:
                wrong.append(
                    _("the agency “%(agency)s” is not listed: give its sector so it can be added")
                    % {"agency": row.agency_name}
                )
            elif row.sector in plan.sectors:
                name, sector = plan.new_agencies.setdefault(row.agency, (row.agency_name, row.sector))
                if sector != row.sector:
                    wrong.append(
                        _(
                            "the new agency “%(agency)s” is given the sector “%(sector)s” here but "
                            "“%(other)s” on an earlier row"
                        )
                        % {"agency": name, "sector": row.sector, "other": sector}
                    )
        if row.email not in plan.users:
            if not row.name:
                wrong.append(
                    _("delegate_name is missing (needed to add %(email)s as a new delegate)") % {"email": row.email}
                )
            else:
                plan.new_delegates.setdefault(row.email, row)
        if wrong:
            problems.setdefault(row.line, []).extend(wrong)


def _drop_repeats(plan: ImportPlan, bookings: list[BookingRow], existing: dict, problems: dict) -> None:
    """Keep each booking once; skip those already in the database; refuse a
    booking that contradicts one already given, or a second live place."""
    listed = {}  # (session id, user id, booked_at) → (status, attendance)
    live = defaultdict(int)  # (session key, email) → live bookings
    emails = {pk: email for email, pk in plan.users.items()}
    session_keys = {pk: session_key for session_key, pk in plan.session_ids.items()}
    for session_id, rows in existing.items():
        for booking in rows:
            email = emails.get(booking["user_id"])
            if email is None:
                if booking["status"] in LIVE:
                    live[(session_keys[session_id], booking["user_id"])] += 1
                continue
            listed[(session_keys[session_id], email, booking["created_at"])] = (
                booking["status"],
                booking["attendance"],
            )
            if booking["status"] in LIVE:
                live[(session_keys[session_id], email)] += 1
    seen = {}
    for row in bookings:
        if row.line in problems:
            continue
        said = (row.status, row.attendance)
        if row.key in seen:
            if seen[row.key][0] != said:
                problems[row.line] = [
                    _(
                        "this booking (same session, delegate and booked_at) is given on line "
                        "%(line)s with another status or attendance"
                    )
                    % {"line": seen[row.key][1]}
                ]
            else:
                plan.repeated_rows += 1
            continue
        seen[row.key] = (said, row.line)
        if row.key in listed:
            if listed[row.key] != said:
                problems[row.line] = [
                    _("this booking is already recorded as %(status)s%(attendance)s")
                    % {
                        "status": listed[row.key][0],
                        "attendance": f", {listed[row.key][1]}" if listed[row.key][1] else "",
                    }
                ]
            else:
                plan.existing_bookings += 1
            continue
        if row.status in LIVE:
            live[(row.session, row.email)] += 1
            if live[(row.session, row.email)] > 1:
                problems[row.line] = [
                    _("%(email)s already has a confirmed or waiting-list booking on this session")
                    % {"email": row.email}
                ]
                continue
        plan.bookings.append(row)


def history_import_plan(text: str, progress=None) -> ImportPlan:
    """Check a file's text and work out what importing it would do. Raises
    ImportRejected, listing every bad row, if any row is wrong. `progress`
    is told how many rows have been checked, now and then."""
    problems = {}
    plan = ImportPlan()
    bookings = read_rows(text, plan, problems, progress)
    existing = _match_sessions(plan, problems)
    _match_people(plan, bookings, problems)
    _drop_repeats(plan, bookings, existing, problems)
    if problems:
        raise rejection(problems)
    return plan


# --- the services ---------------------------------------------------------------


def read_upload(data: bytes) -> tuple[str, int]:
    """The file as text and how many rows it has, or ImportRejected for one
    too large, binary, not UTF-8, with the wrong columns or too many rows."""
    return csvimport.read_upload(
        data, columns=COLUMNS, max_bytes=settings.HISTORY_IMPORT_MAX_BYTES, max_rows=settings.HISTORY_IMPORT_MAX_ROWS
    )


def _csv_name(filename: str) -> None:
    if not filename.lower().endswith(".csv"):
        raise ImportRejected(_("The file must be a CSV file (its name ending .csv). Save it as “CSV UTF-8”."))


def history_import_upload(*, filename: str, data: bytes, by=None) -> HistoryImport:
    """Keep an uploaded file after the checks that cost little (name, size,
    text, columns, rows at most HISTORY_IMPORT_MAX_ROWS) and queue a task to
    check its rows: a large file takes longer than a web request may run.
    Raises ImportRejected, keeping nothing, for a file that fails those checks."""
    from .. import tasks

    _csv_name(filename)
    text, rows = read_upload(data)
    return csvimport.import_queue(
        HistoryImport, filename=filename, text=text, rows=rows, by=by, task=tasks.history_import_check
    )


def _checked(text: str, progress) -> tuple[dict, int]:
    plan = history_import_plan(text, progress)
    return plan.summary(), plan.rows


def history_import_check_rows(*, import_id: int) -> None:
    """The task's work: check every row of a kept file, recording how far it
    has got, then keep what it would do or why it cannot be imported."""
    csvimport.import_check(HistoryImport, pk=import_id, plan=_checked)


def history_import_check(*, filename: str, data: bytes, by=None) -> tuple[HistoryImport, ImportPlan]:
    """Check a file whole, now, and keep it waiting for someone to confirm it
    (the import command; the staff page queues the check instead). Raises
    ImportRejected (with every bad row) and keeps nothing if it is wrong."""
    _csv_name(filename)
    text, _rows = read_upload(data)
    plan = history_import_plan(text)
    with transaction.atomic():
        record = HistoryImport.objects.create(
            filename=filename[:255],
            content=text,
            uploaded_by=by,
            rows=plan.rows,
            rows_checked=plan.rows,
            summary=plan.summary(),
        )
    return record, plan


def history_import_confirm(*, history_import: HistoryImport) -> None:
    """Queue a checked file for importing by a task (200,000 rows take minutes)."""
    from .. import tasks

    csvimport.import_confirm(HistoryImport, record=history_import, task=tasks.history_import_apply)


def history_imports_requeue() -> int:
    """Queue again the checks and imports whose task never reached a worker."""
    from .. import tasks

    return csvimport.imports_requeue(
        HistoryImport, check_task=tasks.history_import_check, apply_task=tasks.history_import_apply
    )


def history_import_apply_confirmed(*, import_id: int) -> None:
    """The task's work: import a confirmed file, or record why it now cannot be."""
    csvimport.import_apply(
        HistoryImport, pk=import_id, apply=lambda record: history_import_apply(history_import=record)
    )


def _unique_slugs(titles: list[str]) -> list[str]:
    taken = set(Course.objects.values_list("slug", flat=True))
    slugs = []
    for title in titles:
        base = slugify(title)[:180] or "course"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _level_from_title(title: str) -> str:
    """A new course called "… Level 2" is Level 2; any other is a multi-agency (Level 3) course."""
    match = _LEVEL.search(title)
    return f"level_{match.group(1)}" if match else CourseLevel.LEVEL_3


def _create_places(plan: ImportPlan) -> tuple[int, int, int]:
    """New courses, venues and sessions; returns how many of each."""
    titles = [title for title, _format in plan.new_courses.values()]
    courses = [
        Course(
            title=title,
            slug=slug,
            format=format_,
            level=_level_from_title(title),
            summary="",
            learning_outcomes="",
            audience="",
            is_published=False,
        )
        for (title, format_), slug in zip(plan.new_courses.values(), _unique_slugs(titles), strict=True)
    ]
    Course.objects.bulk_create(courses, batch_size=BATCH)
    plan.courses.update((key(course.title), course.pk) for course in courses)

    venues = [Venue(name=name, address="", postcode="") for name in plan.new_venues.values()]
    Venue.objects.bulk_create(venues, batch_size=BATCH)
    plan.venues.update((key(venue.name), venue.pk) for venue in venues)

    rows = plan.new_sessions
    # The register of a session with attendance counts as submitted when it ended.
    marked = {row.session for row in plan.bookings if row.attendance}
    sessions = [
        Session(
            course_id=plan.courses[row.course],
            venue_id=plan.venues[row.venue],
            start=row.start,
            end=row.end,
            capacity=row.capacity,
            minimum_numbers=0,
            status=row.status,
            cancellation_reason=row.reason,
            register_submitted_at=row.end if row.key in marked else None,
        )
        for row in rows
    ]
    Session.objects.bulk_create(sessions, batch_size=BATCH)
    plan.session_ids.update((row.key, session.pk) for row, session in zip(rows, sessions, strict=True))
    return len(courses), len(venues), len(sessions)


def _create_people(plan: ImportPlan) -> tuple[int, int]:
    """New agencies and delegates (no usable password, address not verified); returns how many of each."""
    agencies = [Agency(name=name, sector_id=plan.sectors[slug]) for name, slug in plan.new_agencies.values()]
    Agency.objects.bulk_create(agencies, batch_size=BATCH)
    plan.agencies.update((key(agency.name), agency.pk) for agency in agencies)

    users = []
    for email, row in plan.new_delegates.items():
        first, last = split_name(row.name)
        users.append(
            User(
                email=email,
                first_name=first,
                last_name=last,
                job_role=row.role,
                agency_id=plan.agencies.get(row.agency),
                password=make_password(None),
            )
        )
    User.objects.bulk_create(users, batch_size=BATCH)
    plan.users.update((user.email, user.pk) for user in users)
    delegates = Group.objects.get(name=Role.DELEGATE)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=delegates.pk) for user in users], batch_size=BATCH
    )
    return len(agencies), len(users)


def _create_bookings(plan: ImportPlan, record: HistoryImport) -> int:
    rows = sorted(plan.bookings, key=lambda row: (row.booked_at, row.line))
    # Waiting-list places keep their order of arrival after any already on the session.
    session_ids = {plan.session_ids[row.session] for row in rows}
    queue = defaultdict(int)
    for batch in _batches(session_ids):
        queue.update(
            Booking.objects.filter(session_id__in=batch)
            .values("session_id")
            .annotate(n=Max("queue_number"))
            .order_by()
            .values_list("session_id", "n")
        )
    bookings = []
    for row in rows:
        session_id = plan.session_ids[row.session]
        number = None
        if row.status == Booking.Status.WAITLISTED:
            queue[session_id] = (queue[session_id] or 0) + 1
            number = queue[session_id]
        bookings.append(
            Booking(
                session_id=session_id,
                user_id=plan.users[row.email],
                agency_at_booking_id=plan.agencies.get(row.agency),
                status=row.status,
                attendance=row.attendance,
                queue_number=number,
            )
        )
    Booking.objects.bulk_create(bookings, batch_size=BATCH)
    # created_at is set on creation (auto_now_add), so the booking's own date
    # is written straight after; bulk_update leaves the value given alone.
    for booking, row in zip(bookings, rows, strict=True):
        booking.created_at = row.booked_at
    Booking.objects.bulk_update(bookings, ["created_at"], batch_size=BATCH)
    note = _("Imported from %(file)s (history import %(pk)s)") % {"file": record.filename, "pk": record.pk}
    history = [
        BookingHistory(booking=booking, field=BookingHistory.Field.STATUS, to_value=booking.status, note=note[:300])
        for booking in bookings
    ]
    history += [
        BookingHistory(
            booking=booking, field=BookingHistory.Field.ATTENDANCE, to_value=booking.attendance, note=note[:300]
        )
        for booking in bookings
        if booking.attendance
    ]
    BookingHistory.objects.bulk_create(history, batch_size=BATCH)
    return len(bookings)


def history_import_apply(*, history_import: HistoryImport) -> HistoryImport:
    """Import a checked file in one transaction, all or nothing: new courses,
    venues, sessions, agencies and delegates first, then the bookings, all in
    bulk, with no e-mail and no booking rules (see the module's docstring).
    The file is checked again (the database may have changed since); any
    problem now rejects it whole. Applying a file twice imports it once."""
    with transaction.atomic():
        record = HistoryImport.objects.select_for_update().get(pk=history_import.pk)
        if record.status == HistoryImport.Status.APPLIED:
            return record
        if record.status not in (HistoryImport.Status.PENDING, HistoryImport.Status.APPLYING):
            raise ImportRejected(_("This file has not been checked, or cannot be imported: upload it again."))
        plan = history_import_plan(record.content)
        record.courses_created, record.venues_created, record.sessions_created = _create_places(plan)
        record.agencies_created, record.delegates_created = _create_people(plan)
        record.bookings_created = _create_bookings(plan, record)
        record.status = HistoryImport.Status.APPLIED
        record.applied_at = timezone.now()
        record.content = ""  # personal data is kept in the records it made, not twice
        record.save()
    return record
