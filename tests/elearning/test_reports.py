"""The e-learning report: completions and distinct people in a period, by role
(Level 1 and Level 2 apart), module, agency and sector, and year on year, in
a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import JobRole, Sector
from elearning.models import Completion
from elearning.selectors import Period, elearning_report, financial_year
from tests.factories import AgencyFactory, UserFactory

from .factories import ModuleFactory

pytestmark = pytest.mark.django_db

YEAR = Period(dt.date(2024, 4, 1), dt.date(2025, 3, 31))


def _complete(user, module, day, **extra):
    return Completion.objects.create(user=user, module=module, completed_on=day, source="imported",
                                     job_role=extra.get("job_role", user.job_role),
                                     job_role_text=extra.get("job_role_text", ""),
                                     agency=extra.get("agency", user.agency))


@pytest.fixture
def programme():
    police = AgencyFactory(name="Riverside Police", sector=Sector.objects.get(slug="police"))
    school = AgencyFactory(name="Riverside Primary", sector=Sector.objects.get(slug="education"))
    level_1 = ModuleFactory(title="Level 1", level="level_1")
    level_2 = ModuleFactory(title="Level 2", level="level_2")
    prevent = ModuleFactory(title="Prevent", level="")
    officer = UserFactory(agency=police, job_role=JobRole.POLICE_OFFICER)
    teacher = UserFactory(agency=school, job_role=JobRole.TEACHER)
    other_teacher = UserFactory(agency=school, job_role=JobRole.TEACHER)
    _complete(officer, level_1, dt.date(2024, 4, 1))  # first day of the year
    _complete(officer, level_2, dt.date(2025, 3, 31))  # last day
    _complete(officer, prevent, dt.date(2024, 6, 1))
    _complete(teacher, level_1, dt.date(2024, 9, 1))
    _complete(other_teacher, level_1, dt.date(2024, 9, 2))
    _complete(other_teacher, level_1, dt.date(2025, 1, 2))  # the same person again
    _complete(teacher, level_2, dt.date(2024, 10, 1), job_role="", job_role_text="Dinner supervisor")
    _complete(teacher, level_1, dt.date(2024, 3, 31))  # the year before
    _complete(teacher, level_1, dt.date(2025, 4, 1))  # the year after
    return {"police": police, "school": school}


def test_the_financial_year_runs_from_1_april_to_31_march():
    assert financial_year(dt.date(2025, 3, 31)) == Period(dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    assert financial_year(dt.date(2025, 4, 1)) == Period(dt.date(2025, 4, 1), dt.date(2026, 3, 31))


def test_totals_count_completions_and_distinct_people_in_the_period(programme):
    report = elearning_report(period=YEAR)

    assert report.totals == {"completions": 7, "people": 3}


def test_level_1_and_level_2_are_counted_by_delegate_role(programme):
    rows = {row["role"]: row for row in elearning_report(period=YEAR).by_role}

    assert {role: (row["level_1"], row["level_2"], row["completions"], row["people"]) for role, row in
            rows.items()} == {
        "Police officer or staff": (1, 1, 3, 1),
        "Teacher or teaching assistant": (3, 0, 3, 2),
        "Not one of our roles (as the provider gave it)": (0, 1, 1, 1),
    }


def test_completions_by_module_agency_and_sector(programme):
    report = elearning_report(period=YEAR)

    assert [(r["module_title"], r["level"], r["completions"], r["people"]) for r in report.by_module] == [
        ("Level 1", "Level 1 – awareness, for everyone", 4, 3),
        ("Level 2", "Level 2 – regular contact with children and families", 2, 2),
        ("Prevent", "", 1, 1),
    ]
    assert [(r["agency_name"], r["sector_name"], r["completions"], r["people"]) for r in report.by_agency] == [
        ("Riverside Primary", "Education", 4, 2), ("Riverside Police", "Police", 3, 1)]
    assert [(r["sector_name"], r["completions"]) for r in report.by_sector] == [("Education", 4), ("Police", 3)]


def test_year_on_year_counts_every_financial_year(programme):
    report = elearning_report(period=YEAR)

    assert [(r["label"], r["completions"], r["level_1"], r["level_2"]) for r in report.by_year] == [
        ("2023–24", 1, 1, 0), ("2024–25", 7, 4, 2), ("2025–26", 1, 1, 0)]


def test_an_agency_sees_only_completions_made_while_its_staff_worked_there(programme):
    report = elearning_report(period=YEAR, agency=programme["police"])

    assert report.totals == {"completions": 3, "people": 1}
    assert [r["agency_name"] for r in report.by_agency] == ["Riverside Police"]
    assert [r["completions"] for r in report.by_year] == [3]


def _count_queries(period):
    with CaptureQueriesContext(connection) as queries:
        elearning_report(period=period)
    return len(queries)


def test_the_report_runs_the_same_six_aggregate_queries_however_many_completions():
    modules = [ModuleFactory(level=level) for level in ("level_1", "level_2", "")]
    users = [UserFactory(job_role=role) for role in (JobRole.NURSE, JobRole.TEACHER, JobRole.VOLUNTEER)]
    Completion.objects.bulk_create([Completion(user=users[0], module=modules[0], completed_on=dt.date(2024, 5, 1),
                                               source="imported", agency=users[0].agency)])
    few = _count_queries(YEAR)
    start = dt.date(2015, 4, 1)
    Completion.objects.bulk_create([
        Completion(user=users[n % 3], module=modules[n % 3], completed_on=start + dt.timedelta(days=n),
                   source="imported", agency=users[n % 3].agency, job_role=users[n % 3].job_role)
        for n in range(1, 3650)
    ], ignore_conflicts=True)

    many = _count_queries(YEAR)

    assert few == many == 6
