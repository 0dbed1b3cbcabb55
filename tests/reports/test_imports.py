"""The history import: all or nothing, every bad row reported with its line
number and reason, re-importing changes nothing, and past delegates are
never e-mailed."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from accounts.models import Agency, User
from accounts.roles import Role
from bookings.models import Booking, BookingHistory
from core.csvimport import ImportRejected
from courses.models import Course, Session, Venue
from reports import services
from reports.models import HistoryImport
from tests.dates import ago
from tests.factories import CourseFactory, SessionFactory, UserFactory, VenueFactory
from tests.reports import history

pytestmark = pytest.mark.django_db


def _import(data: bytes, filename="past.csv"):
    record, _plan = services.history_import_check(filename=filename, data=data)
    return services.history_import_apply(history_import=record)


def _counts():
    return (
        Course.objects.count(),
        Venue.objects.count(),
        Session.objects.count(),
        Agency.objects.count(),
        User.objects.count(),
        Booking.objects.count(),
        BookingHistory.objects.count(),
    )


def _row(**changes) -> list[str]:
    """One valid booking row (a confirmed attendee of a 2023 session), changed as given."""
    values = dict(zip(history.HEADER, history.history_rows()[0], strict=True))
    values.update(changes)
    return [values[column] for column in history.HEADER]


def _problems(rows) -> dict:
    with pytest.raises(ImportRejected) as rejected:
        services.history_import_check(filename="past.csv", data=history.csv_bytes(rows))
    return dict(rejected.value.problems)


# --- what an import makes ---------------------------------------------------------


def test_an_import_makes_the_courses_venues_sessions_agencies_delegates_and_bookings(mailoutbox):
    history.contributing_police()

    record = _import(history.csv_bytes())

    assert (record.courses_created, record.venues_created, record.sessions_created) == (3, 3, 7)
    assert (record.agencies_created, record.delegates_created, record.bookings_created) == (2, 82, 83)
    assert record.status == HistoryImport.Status.APPLIED and record.content == ""
    assert mailoutbox == []


def test_new_delegates_cannot_sign_in_until_they_set_a_password_and_keep_the_role_and_agency_given():
    history.contributing_police()
    _import(history.csv_bytes())

    delegate = User.objects.get(email="nursery1@nursery.example.org")
    assert not delegate.has_usable_password()
    assert not delegate.emailaddress_set.filter(verified=True).exists()
    assert delegate.groups.filter(name=Role.DELEGATE).exists()
    assert (delegate.first_name, delegate.last_name) == ("Delegate", "nursery1")
    assert delegate.job_role == "early_years_practitioner"
    assert delegate.agency.name == history.NURSERY and delegate.agency.sector.slug == "early_years"


def test_new_courses_are_hidden_from_the_calendar_and_keep_their_format():
    _import(history.csv_bytes())

    course = Course.objects.get(title=history.MARAC)
    assert (course.format, course.is_published) == ("briefing", False)


def test_sessions_keep_their_times_in_uk_time_status_and_reason():
    _import(history.csv_bytes())

    cancelled = Session.objects.get(course__title=history.NEGLECT, status="cancelled")
    assert cancelled.start == dt.datetime(2024, 3, 13, 9, 30, tzinfo=dt.UTC)  # GMT in March
    assert cancelled.cancellation_reason == "Cancelled by the trainer due to service pressures"
    summer = Session.objects.get(course__title=history.MARAC)
    assert summer.start == dt.datetime(2023, 6, 6, 11, 30, tzinfo=dt.UTC)  # 12:30 BST
    assert (summer.capacity, summer.venue.name) == (30, "Riverside Library")


def test_bookings_on_a_cancelled_session_are_recorded_as_session_cancelled():
    _import(history.csv_bytes())

    statuses = set(Booking.objects.filter(session__status="cancelled").values_list("status", flat=True))
    assert statuses == {Booking.Status.SESSION_CANCELLED}


def test_every_imported_booking_has_its_history_entry_naming_the_file():
    record = _import(history.csv_bytes(), filename="2023-24 registers.csv")

    booking = Booking.objects.filter(attendance="attended").first()
    entries = list(booking.history.values_list("field", "to_value", "note"))
    note = f"Imported from 2023-24 registers.csv (history import {record.pk})"
    assert entries == [("status", "confirmed", note), ("attendance", "attended", note)]


def test_booked_at_is_kept_and_an_empty_one_means_the_session_start():
    rows = [
        _row(booked_at="2023-04-19T10:15", delegate_email="a@example.org"),
        _row(booked_at="", delegate_email="b@example.org"),
    ]
    _import(history.csv_bytes(rows))

    booked = dict(Booking.objects.values_list("user__email", "created_at"))
    assert booked["a@example.org"] == dt.datetime(2023, 4, 19, 9, 15, tzinfo=dt.UTC)
    assert booked["b@example.org"] == dt.datetime(2023, 5, 10, 8, 30, tzinfo=dt.UTC)


def test_waiting_list_places_are_numbered_in_the_order_booked():
    rows = [
        _row(booking_status="waitlisted", attendance="", delegate_email=f"w{n}@example.org", booked_at=f"2023-04-0{n}")
        for n in (3, 1, 2)
    ]
    _import(history.csv_bytes(rows))

    assert list(Booking.objects.order_by("queue_number").values_list("user__email", flat=True)) == [
        "w1@example.org",
        "w2@example.org",
        "w3@example.org",
    ]


def test_existing_records_are_matched_not_duplicated_and_never_changed():
    venue = VenueFactory(name="Civic Centre, Room 1")
    course = CourseFactory(title="neglect – an analytical approach", format="full_day")
    session = SessionFactory(
        course=course,
        venue=venue,
        start=dt.datetime(2023, 5, 10, 8, 30, tzinfo=dt.UTC),
        end=dt.datetime(2023, 5, 10, 15, 30, tzinfo=dt.UTC),
        capacity=20,
        minimum_numbers=5,
    )
    person = UserFactory(email="pc1@police.example.org", first_name="Pat", job_role="manager")

    _import(history.csv_bytes())

    assert Course.objects.filter(title__iexact=history.NEGLECT).count() == 1
    assert session.bookings.count() == 22  # A1's rows
    person.refresh_from_db()
    assert (person.first_name, person.job_role) == ("Pat", "manager")


# --- all or nothing, and every bad row reported ----------------------------------------


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row_with_its_line():
    rows = history.history_rows()
    rows[2][5] = "lots"  # line 4: capacity
    rows[9][14] = "maybe"  # line 11: booking_status
    before = _counts()

    problems = _problems(rows)

    assert sorted(problems) == [4, 11]
    assert "capacity “lots” is not a whole number of places from 1 to 10000" in problems[4]
    assert any("booking_status “maybe”" in reason for reason in problems[11])
    assert _counts() == before
    assert not HistoryImport.objects.exists()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"format": "webinar"}, "format “webinar” is not one of briefing, half_day, full_day, twilight, conference"),
        ({"session_start": "10/05/2023 09:30"}, "session_start “10/05/2023 09:30” is not a date and time"),
        ({"session_end": "2023-05-10T08:00"}, "the session ends (2023-05-10T08:00) before it starts"),
        ({"venue": ""}, "the venue is missing"),
        ({"capacity": "0"}, "capacity “0” is not a whole number of places"),
        ({"session_status": "postponed"}, "session_status “postponed” is not scheduled or cancelled"),
        ({"cancellation_reason": "Trainer ill"}, "a cancellation reason is given but session_status is scheduled"),
        ({"delegate_email": "not-an-address"}, "“not-an-address” is not an e-mail address"),
        ({"delegate_email": "new@example.org", "delegate_name": ""}, "delegate_name is missing"),
        ({"sector": "nurseries"}, "“nurseries” is not one of our sectors"),
        ({"agency": "Brand New Agency", "sector": ""}, "the agency “Brand New Agency” is not listed"),
        ({"role": "wizard"}, "role “wizard” is not one of our job roles"),
        ({"booked_at": "yesterday"}, "booked_at “yesterday” is not a date and time"),
        ({"attendance": "present"}, "attendance “present” is not attended, no_show or empty"),
        ({"booking_status": "waitlisted"}, "attendance is marked on a booking that is waitlisted"),
        ({"session_status": "cancelled"}, "attendance is marked on a cancelled session"),
        (
            {"delegate_email": "", "booking_status": "", "attendance": ""},
            "delegate_name, agency, sector, role, booked_at given but delegate_email is empty",
        ),
    ],
)
def test_each_kind_of_bad_row_is_explained(changes, reason):
    problems = _problems([_row(**changes)])

    assert list(problems) == [2]
    assert any(reason in text for text in problems[2]), problems[2]


def test_a_session_that_has_not_finished_cannot_be_imported():
    start = ago(hours=1)
    problems = _problems(
        [
            _row(
                session_start=start.strftime("%Y-%m-%dT%H:%M%z"),
                session_end=(start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M%z"),
                attendance="",
            )
        ]
    )

    assert any("the session has not finished yet" in reason for reason in problems[2])


def test_recent_attendance_is_refused_so_no_follow_up_evaluation_is_sent():
    start = ago(days=20)
    problems = _problems(
        [
            _row(
                session_start=start.strftime("%Y-%m-%dT%H:%M%z"),
                session_end=(start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M%z"),
            )
        ]
    )

    assert any("mark it on the session's register" in reason for reason in problems[2])


def test_rows_of_one_session_must_agree_and_a_course_keeps_one_format():
    rows = [
        _row(),
        _row(delegate_email="x@example.org", session_end="2023-05-10T17:00"),
        _row(delegate_email="y@example.org", format="half_day"),
    ]

    problems = _problems(rows)

    assert problems[3] == ["session_end differs from line 2, which gives the same session"]
    assert problems[4] == ["format half_day differs from line 2, which gives the same course as full_day"]


def test_a_session_already_listed_must_agree_with_the_file():
    SessionFactory(
        course=CourseFactory(title=history.NEGLECT),
        venue=VenueFactory(name="Civic Centre, Room 1"),
        start=dt.datetime(2023, 5, 10, 8, 30, tzinfo=dt.UTC),
        end=dt.datetime(2023, 5, 10, 15, 30, tzinfo=dt.UTC),
        capacity=25,
    )

    problems = _problems([_row()])

    assert problems[2] == ["capacity differs from the session already listed (25)"]


def test_a_delegate_has_at_most_one_live_booking_on_a_session():
    rows = [_row(), _row(booked_at="2023-04-01", attendance="", booking_status="waitlisted")]

    problems = _problems(rows)

    assert list(problems) == [3]
    assert "already has a confirmed or waiting-list booking on this session" in problems[3][0]


def test_a_booking_given_twice_is_imported_once_but_not_if_the_two_rows_disagree():
    same = _import(history.csv_bytes([_row(), _row()]))
    assert same.bookings_created == 1

    problems = _problems(
        [_row(delegate_email="z@example.org"), _row(delegate_email="z@example.org", attendance="no_show")]
    )
    assert "is given on line 2 with another status or attendance" in problems[3][0]


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("past.xlsx", b"PK\x03\x04", "The file must be a CSV file"),
        ("past.csv", b"course\x00,format", "it holds binary data"),
        ("past.csv", "course,format\nCaf\u00e9".encode("latin-1"), "The file is not UTF-8 text (line 2)"),
        ("past.csv", b"", "The file is empty"),
        ("past.csv", b"course,format,venue\n", "The file has the wrong columns (missing: session_start"),
        ("past.csv", history.csv_text(rows=[]).encode(), "The file has no rows in it"),
    ],
)
def test_files_that_are_not_a_usable_csv_are_rejected_whole(filename, data, message):
    with pytest.raises(ImportRejected) as rejected:
        services.history_import_check(filename=filename, data=data)

    assert message in rejected.value.message


def test_a_file_over_the_size_limit_is_rejected(settings):
    settings.HISTORY_IMPORT_MAX_BYTES = 100

    with pytest.raises(ImportRejected) as rejected:
        services.history_import_check(filename="past.csv", data=history.csv_bytes())

    assert "The largest file that can be imported is 100" in rejected.value.message


def test_a_file_checked_then_made_wrong_by_the_database_imports_nothing():
    record, _plan = services.history_import_check(filename="past.csv", data=history.csv_bytes([_row()]))
    CourseFactory(title=history.NEGLECT, format="half_day")  # added meanwhile, with another format
    before = _counts()

    with pytest.raises(ImportRejected):
        services.history_import_apply(history_import=record)

    assert _counts() == before


# --- re-importing -----------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing():
    history.contributing_police()
    _import(history.csv_bytes())
    before = _counts()

    again = _import(history.csv_bytes())

    assert _counts() == before
    assert (again.bookings_created, again.sessions_created, again.delegates_created) == (0, 0, 0)


def test_the_second_import_reports_what_it_found_already_recorded():
    _import(history.csv_bytes())

    _record, plan = services.history_import_check(filename="past.csv", data=history.csv_bytes())

    summary = plan.summary()
    assert (summary["bookings_new"], summary["bookings_existing"], summary["sessions_new"]) == (0, 83, 0)
    assert summary["sessions_existing"] == 7


def test_a_booking_changed_since_its_import_is_reported_not_overwritten():
    _import(history.csv_bytes([_row()]))
    Booking.objects.update(attendance="left_early")

    problems = _problems([_row()])

    assert problems[2] == ["this booking is already recorded as confirmed, left_early"]


def test_applying_a_checked_file_twice_imports_it_once():
    record, _plan = services.history_import_check(filename="past.csv", data=history.csv_bytes())
    services.history_import_apply(history_import=record)

    services.history_import_apply(history_import=record)

    assert Booking.objects.count() == 83


# --- the command ------------------------------------------------------------------


def test_the_command_imports_a_file(tmp_path, capsys):
    path = tmp_path / "2023-24.csv"
    path.write_bytes(history.csv_bytes())

    call_command("import_history", str(path))

    assert "Imported 83 bookings on 7 new sessions" in capsys.readouterr().out
    assert Booking.objects.count() == 83


def test_the_command_lists_every_bad_row_and_imports_nothing(tmp_path, capsys):
    rows = history.history_rows()
    rows[0][8] = "nobody"
    rows[5][15] = "present"
    path = tmp_path / "bad.csv"
    path.write_bytes(history.csv_bytes(rows))

    with pytest.raises(CommandError, match="2 rows have problems"):
        call_command("import_history", str(path))

    errors = capsys.readouterr().err
    assert "line 2: “nobody” is not an e-mail address" in errors
    assert "line 7: attendance “present” is not attended, no_show or empty" in errors
    assert not Booking.objects.exists()


def test_the_command_dry_run_imports_nothing(tmp_path, capsys):
    path = tmp_path / "2023-24.csv"
    path.write_bytes(history.csv_bytes())

    call_command("import_history", str(path), "--dry-run")

    assert "83 bookings to add" in capsys.readouterr().out
    assert not Booking.objects.exists() and not HistoryImport.objects.exists()


def test_the_command_runs_as_people_run_it(tmp_path):
    """`python manage.py import_history FILE.csv` in a process of its own (with
    Django's system checks), on a database of its own, migrated first."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}"}
    path = tmp_path / "2023-24.csv"
    path.write_bytes(history.csv_bytes())

    def manage(*args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                              capture_output=True, text=True, timeout=300)

    assert manage("migrate", "-v0").returncode == 0
    done = manage("import_history", str(path))

    assert done.returncode == 0, done.stderr
    assert "Imported 83 bookings on 7 new sessions" in done.stdout
