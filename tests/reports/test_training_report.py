"""A past year's spreadsheet imported, and its figures as `training_report`
gives them, exactly as the issue defines them (expectations worked out by
hand in tests/reports/history.py)."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from bookings.models import Booking
from core.periods import Period
from courses.models import CourseView, Session
from reports import services
from reports.definitions import rate
from reports.selectors import uptake_report
from reports.training_report import as_csv, training_report
from tests.dates import at
from tests.factories import BookingFactory, CourseFactory, SessionFactory, UserFactory
from tests.reports import history

pytestmark = pytest.mark.django_db

YEAR = Period(*history.YEAR)


@pytest.fixture
def imported():
    """The spreadsheet imported, and the Neglect course's page viewed by three people in the year."""
    history.contributing_police()
    record, _plan = services.history_import_check(filename="2023-24.csv", data=history.csv_bytes())
    services.history_import_apply(history_import=record)
    course = Session.objects.filter(course__title=history.NEGLECT).first().course
    for key, day in [
        ("a", "2023-06-01"),
        ("a", "2023-06-02"),
        ("b", "2023-09-30"),
        ("c", "2024-03-31"),
        ("d", "2024-04-01"),
        ("e", "2023-03-31"),
    ]:  # d and e fall outside the year
        CourseView.objects.create(course=course, viewer_key=key, viewed_on=dt.date.fromisoformat(day))
    return record


def _by(rows, key):
    return {row[key]: row for row in rows}


# --- rounding ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (65, 80, 81.3),
        (1, 8, 12.5),
        (1, 3, 33.3),
        (2, 3, 66.7),
        (1, 16, 6.3),
        (0, 30, 0.0),
        (30, 30, 100.0),
        (5, 0, None),
        (0, 0, None),
    ],
)
def test_rates_have_one_decimal_with_halves_rounded_up_and_are_null_without_a_denominator(part, whole, expected):
    assert rate(part, whole) == expected


# --- the imported year, course by course ------------------------------------------


def test_each_course_has_the_figures_the_definitions_give(imported):
    courses = _by(training_report(YEAR)["courses"], "course")

    for title, expected in history.EXPECTED_COURSES.items():
        assert {key: value for key, value in courses[title].items() if key != "evaluation"} == expected


def test_65_attendees_in_80_places_is_an_attendance_rate_of_81_3(imported):
    neglect = _by(training_report(YEAR)["courses"], "course")[history.NEGLECT]

    assert (neglect["attended"], neglect["places"], neglect["attendance_rate"]) == (65, 80, 81.3)


def test_a_cancelled_session_adds_no_places_and_its_bookings_are_not_counted(imported):
    neglect = _by(training_report(YEAR)["courses"], "course")[history.NEGLECT]

    # A5, cancelled, had 20 places and three confirmed bookings.
    assert neglect["sessions_cancelled"] == 1
    assert neglect["places"] == 4 * 20
    assert neglect["booked"] == 78


def test_waiting_list_and_cancelled_bookings_count_as_booked(imported):
    neglect = _by(training_report(YEAR)["courses"], "course")[history.NEGLECT]

    # 72 confirmed + 2 waitlisted + 1 cancelled + 3 late-cancelled
    assert neglect["booked"] == 78
    assert neglect["late_cancellations"] == 3


def test_rates_are_null_when_there_is_nothing_to_divide_by(imported):
    courses = _by(training_report(YEAR)["courses"], "course")

    assert courses[history.MARAC]["turnout_rate"] is None  # nobody was confirmed
    assert courses[history.MARAC]["attendance_rate"] == 0.0  # 0 of 30 places
    assert courses[history.SAFE_RECRUITMENT]["attendance_rate"] is None  # no session ran
    assert courses[history.SAFE_RECRUITMENT]["turnout_rate"] is None


def test_views_are_different_people_viewing_the_course_page_in_the_period(imported):
    assert _by(training_report(YEAR)["courses"], "course")[history.NEGLECT]["views"] == 3


def test_a_course_viewed_in_the_period_is_in_the_report_though_no_session_ran(imported):
    courses = training_report(Period(dt.date(2024, 4, 1), dt.date(2025, 3, 31)))["courses"]

    assert [(row["course"], row["views"], row["sessions_run"]) for row in courses] == [(history.NEGLECT, 1, 0)]


def test_agencies_sectors_and_totals_are_as_computed_by_hand(imported):
    data = training_report(YEAR)

    assert data["agencies"] == history.EXPECTED_AGENCIES
    sectors = _by(data["sectors"], "sector")
    assert sectors["police"] == {"sector": "police", "booked": 32, "attended": 30, "no_shows": 1}
    assert sectors["early_years"] == {"sector": "early_years", "booked": 35, "attended": 25, "no_shows": 5}
    assert sectors["voluntary_community"] == {
        "sector": "voluntary_community",
        "booked": 13,
        "attended": 10,
        "no_shows": 0,
    }
    assert sectors["health"] == {"sector": "health", "booked": 0, "attended": 0, "no_shows": 0}
    assert data["totals"] == history.EXPECTED_TOTALS


def test_someone_who_attended_twice_is_one_individual_trained(imported):
    assert training_report(YEAR)["totals"]["individuals_trained"] == 65 - 1


def test_courses_and_agencies_with_nothing_in_the_period_are_left_out(imported):
    CourseFactory(title="Never run")
    data = training_report(Period(dt.date(2025, 4, 1), dt.date(2026, 3, 31)))

    assert data["courses"] == []
    assert data["agencies"] == []
    assert data["totals"] == {"sessions_run": 0, "places": 0, "booked": 0, "attended": 0, "individuals_trained": 0}


def test_the_json_has_exactly_the_keys_of_the_stable_interface(imported):
    data = training_report(YEAR)

    assert list(data) == ["period", "courses", "agencies", "sectors", "elearning", "totals"]
    assert data["period"] == {"from": "2023-04-01", "to": "2024-03-31"}
    assert list(data["courses"][0]) == [
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
        "evaluation",
    ]
    assert list(data["agencies"][0]) == ["agency", "sector", "contributes", "booked", "attended", "no_shows"]
    assert list(data["sectors"][0]) == ["sector", "booked", "attended", "no_shows"]
    assert list(data["elearning"]) == ["completions", "individuals", "by_module", "by_role"]
    assert list(data["totals"]) == ["sessions_run", "places", "booked", "attended", "individuals_trained"]


# --- the definitions on bookings the spreadsheet cannot carry ---------------------------


def _ran_session(**kwargs):
    start = at(dt.date(2024, 5, 14))
    return SessionFactory(start=start, end=start + dt.timedelta(hours=7), capacity=8, **kwargs)


def test_leaving_early_and_arriving_late_count_as_attended_and_leaving_early_is_also_shown_apart():
    session = _ran_session()
    for attendance in ("attended", "left_early", "arrived_late", "did_not_attend"):
        BookingFactory(session=session, attendance=attendance)
    row = uptake_report(Period(dt.date(2024, 4, 1), dt.date(2025, 3, 31))).courses[0]

    assert (row["attended"], row["left_early"], row["no_shows"], row["confirmed"]) == (3, 1, 1, 4)
    assert row["attendance_rate"] == 37.5  # 3 of 8 places
    assert row["turnout_rate"] == 75.0  # 3 of 4 confirmed


def test_a_session_not_yet_started_has_not_run():
    session = SessionFactory(capacity=20)  # next week
    BookingFactory(session=session)
    today = timezone.localdate()
    courses = uptake_report(Period(today - dt.timedelta(days=30), today + dt.timedelta(days=30))).courses

    assert courses == []


def test_a_session_is_in_the_period_by_its_start_in_uk_time():
    # 00:30 on 1 April 2024 in London is 23:30 on 31 March in UTC: in 2024–25, not in 2023–24.
    start = at(dt.date(2024, 4, 1), 0, 30)
    session = SessionFactory(start=start, end=start + dt.timedelta(hours=2), capacity=10)
    BookingFactory(session=session, attendance="attended")

    assert training_report(YEAR)["totals"]["sessions_run"] == 0
    assert training_report(Period(dt.date(2024, 4, 1), dt.date(2025, 3, 31)))["totals"]["attended"] == 1


def test_no_shows_are_confirmed_bookings_marked_did_not_attend_only():
    session = _ran_session()
    BookingFactory(session=session, attendance="did_not_attend")
    BookingFactory(session=session, status=Booking.Status.LATE_CANCELLED)
    BookingFactory(session=session, status=Booking.Status.SUBSTITUTED, user=UserFactory())

    row = training_report(Period(dt.date(2024, 4, 1), dt.date(2025, 3, 31)))["courses"][0]

    assert (row["booked"], row["no_shows"], row["late_cancellations"]) == (3, 1, 1)


# --- the command ------------------------------------------------------------------


def test_the_command_prints_the_json(imported, capsys):
    call_command("training_report", "--from", "2023-04-01", "--to", "2024-03-31", "--format", "json")

    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(training_report(YEAR)))
    assert printed["totals"] == history.EXPECTED_TOTALS


def test_the_command_defaults_to_the_current_financial_year(imported, capsys, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: dt.date(2024, 2, 14))

    call_command("training_report")

    printed = json.loads(capsys.readouterr().out)
    assert printed["period"] == {"from": "2023-04-01", "to": "2024-03-31"}
    assert printed["totals"]["attended"] == 65


def test_the_command_writes_csv_to_a_file(imported, tmp_path):
    output = tmp_path / "report.csv"

    call_command(
        "training_report", "--from", "2023-04-01", "--to", "2024-03-31", "--format", "csv", "--output", str(output)
    )

    text = output.read_text()
    assert text.startswith("period\nfrom,to\n2023-04-01,2024-03-31\n\ncourses\n")
    assert "Neglect – An Analytical Approach,full_day,4,1,80,78,65,81.3,90.3,6,3,3," in text
    assert "Safe Recruitment,half_day,0,1,0,0,0,,,0,0,0" in text
    assert "\ntotals\nsessions_run,places,booked,attended,individuals_trained\n5,110,80,65,64\n" in text


def test_the_csv_cannot_be_made_to_run_a_formula(imported):
    data = training_report(YEAR)
    data["agencies"][0]["agency"] = '=HYPERLINK("http://evil.example")'

    assert "'=HYPERLINK" in as_csv(data)


def test_the_command_writes_the_annual_pdf(imported, tmp_path):
    output = tmp_path / "summary.pdf"

    call_command(
        "training_report", "--from", "2023-04-01", "--to", "2024-03-31", "--format", "pdf", "--output", str(output)
    )

    assert output.read_bytes().startswith(b"%PDF")
