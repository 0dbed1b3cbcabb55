"""The annual Training Summary PDF renders, and says what the annual report
needs, checked by extracting its text."""

import datetime as dt

import pytest
from django.utils import timezone

from core.periods import Period
from courses.models import Course
from evaluations.models import Answer, Key, Stage
from evaluations.services import quote_publish
from reports import services
from reports.models import ReportRun
from tests.elearning.factories import CompletionFactory, ModuleFactory
from tests.evaluations.builders import answered, attendee, held_session
from tests.factories import AgencyFactory, CourseFactory, UserFactory
from tests.payments.finance_records import pdf_text
from tests.reports import history

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(administrator):
    """A course held three days ago: ten attendees from a nursery who all
    answered before and after (ratings up from 2 to 4), one needing step-free
    access, one quote published; and e-learning completions by role."""
    course = CourseFactory(title="Working with Challenging & Hard to Help Families")
    session = held_session(course=course, capacity=12)
    nursery = AgencyFactory(name="Little Acorns Nursery")
    bookings = [attendee(session, user=UserFactory(agency=nursery)) for _n in range(10)]
    bookings[0].needs_step_free_access = True
    bookings[0].save()
    for booking in bookings:
        answered(booking, Stage.PRE, rating=2)
        answered(booking, Stage.POST, rating=4, may_quote=True,
                 overrides={Key.COMMENTS: {"text": "I will ask about <b>home</b>."}})
    comment = Answer.objects.filter(question__key=Key.COMMENTS).first()
    quote_publish(answer=comment, text="I will ask about home life at every visit & write it down.", by=administrator)
    level_1 = ModuleFactory(title="Safeguarding Children Level 1", level="level_1")
    for role in ("teacher", "teacher", "nurse"):
        CompletionFactory(module=level_1, job_role=role, completed_on=timezone.localdate())
    return course


def _summary_text(course_ids, period, django_capture_on_commit_callbacks, administrator) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        run = services.report_run_request(period=period, course_ids=course_ids, by=administrator)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE, run.error
    with run.file.open("rb") as file:
        return pdf_text(file.read())


def test_the_summary_has_headlines_agencies_elearning_a_course_page_and_the_definitions(
    programme, settings, tmp_path, django_capture_on_commit_callbacks, administrator
):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=30), today)

    text = _summary_text([programme.pk], period, django_capture_on_commit_callbacks, administrator)

    for expected in [
        "Training Summary",
        "Headline figures",
        "The programme delivered, by format",
        "Agency attendance, all courses",
        "Little Acorns Nursery",
        "E-learning by role",
        "Teacher or teaching assistant",
        "3 completions by 3 people.",
        "Working with Challenging & Hard to Help Families",
        "10 people booked, out of 12 places",
        "10 (83.3% of places)",
        "Agreed to share the learning",
        "100.0% of 10",
        "Where delegates would go for further advice",
        "Delegates whose rating rose from before to after the course (%)",
        "Knowledge: 10 of 10 rose",
        "I will ask about home life at every visit & write it down.",
        "step-free access: 1",
        "How the figures are counted",
    ]:
        assert expected in text, expected


def test_a_summary_of_an_imported_year_gives_its_figures(
    settings, tmp_path, django_capture_on_commit_callbacks, administrator
):
    settings.MEDIA_ROOT = tmp_path
    history.contributing_police()
    record, _plan = services.history_import_check(filename="2023-24.csv", data=history.csv_bytes())
    services.history_import_apply(history_import=record)
    neglect = Course.objects.get(title=history.NEGLECT)

    text = _summary_text([neglect.pk], Period(*history.YEAR), django_capture_on_commit_callbacks, administrator)

    assert "Multi-agency training from 1 April 2023 to 31 March 2024" in text
    assert "78 people booked, out of 80 places" in text
    assert "65 (81.3% of places)" in text
    assert "4 ran, 1 cancelled (1 – Cancelled by the trainer due to service pressures)" in text
    assert "MARAC Awareness" in text  # in the tables, though without a page of its own
    assert text.count("Viewed the course page") == 1
