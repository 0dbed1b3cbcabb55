"""The retention job: people whose last training is older than the policy are
anonymised, every report keeps its totals, and it happens once."""

import datetime as dt
import logging

import pytest
from django.utils import timezone

from accounts.models import User
from bookings.models import Booking, NonAttendanceReason
from certificates.models import Certificate
from core.models import OutboundEmail
from evaluations.models import Answer, EvaluationRequest, Key
from payments.models import Invoice, InvoiceLine
from privacy import services
from privacy.models import ErasureRecord, RetentionPolicy
from privacy.selectors import retention_policy
from privacy.subject_access import subject_access_json
from tests.privacy.builders import every_report, programme

pytestmark = pytest.mark.django_db

SEVEN_YEARS_ON = dt.timedelta(days=7 * 365)


@pytest.fixture
def people(administrator):
    return programme(administrator)


def _run_seven_years_on():
    return services.retention_anonymise(now=timezone.now() + SEVEN_YEARS_ON)


def test_every_report_total_is_the_same_after_anonymising(people):
    before = every_report(people["session"].start.date())

    assert _run_seven_years_on() > 0

    assert every_report(people["session"].start.date()) == before


def test_an_anonymised_delegate_keeps_nothing_that_names_them(people):
    keen = people["keen"]
    old_email = keen.email

    _run_seven_years_on()

    keen.refresh_from_db()
    assert (keen.first_name, keen.last_name, keen.email) == ("", "", f"anonymised-{keen.pk}@invalid")
    assert (keen.line_manager_name, keen.line_manager_email) == ("", "")
    assert not keen.is_active and not keen.has_usable_password()
    assert not keen.emailaddress_set.exists()
    # What the reports count stays: agency, role, attendance, the booking's requirements (as "asked for something").
    assert keen.agency.name == "Riverside Police" and keen.job_role
    booking = Booking.objects.get(user=keen)
    assert booking.attendance == Booking.Attendance.ATTENDED
    assert (booking.dietary_requirements, booking.requirements) == (services.REMOVED, services.REMOVED)
    comment = Answer.objects.get(response__request__booking=booking, question__key=Key.COMMENTS)
    assert comment.text == services.REMOVED
    assert not EvaluationRequest.objects.filter(line_manager_email="boss.of.priya@example.org").exists()
    assert Certificate.objects.get(user=keen).holder_name == services.ANONYMISED_NAME
    assert not OutboundEmail.objects.filter(body="Dear Priya").exists()
    everything = subject_access_json(keen)
    for trace in ("Priya", "Keen", old_email, "boss.of.priya"):
        assert trace not in everything


def test_free_text_about_a_delegate_elsewhere_is_removed(people):
    absent, paid = people["absent"], people["paid"]
    paid_name = paid.get_full_name()

    _run_seven_years_on()

    assert NonAttendanceReason.objects.get(booking__user=absent).details == services.REMOVED
    assert NonAttendanceReason.objects.get(booking__user=absent).reason == "illness"
    line = InvoiceLine.objects.get(charge__booking__user=paid)
    assert paid_name not in line.description and line.description.endswith(services.ANONYMISED_NAME)
    assert line.amount_pence == 5000
    assert Invoice.objects.filter(lines=line).get().number  # the invoice itself is kept
    assert "Sam was ill" not in str(list(paid.bookings.values_list("charges__waived_reason", flat=True)))


def test_staff_people_still_training_and_people_who_owe_money_are_kept(people):
    _run_seven_years_on()

    kept = User.objects.filter(pk__in=[people[name].pk for name in ("trainer", "returning", "owing")])
    assert all(person.first_name and person.is_active for person in kept)
    assert not ErasureRecord.objects.filter(user__in=kept).exists()


def test_nobody_is_anonymised_before_their_retention_period_ends(people):
    assert services.retention_anonymise() == 0

    assert not ErasureRecord.objects.exists()


def test_a_shorter_policy_anonymises_sooner(people, administrator):
    services.retention_policy_update(years=1, by=administrator)

    done = services.retention_anonymise(now=timezone.now() + dt.timedelta(days=2 * 365))

    assert done == ErasureRecord.objects.filter(reason=ErasureRecord.Reason.RETENTION).count() > 0
    assert retention_policy().years == 1


def test_running_it_again_changes_nothing(people):
    first = _run_seven_years_on()
    records = list(ErasureRecord.objects.values_list("user_id", "erased_at"))

    assert _run_seven_years_on() == 0

    assert first == len(records)
    assert list(ErasureRecord.objects.values_list("user_id", "erased_at")) == records


def test_the_job_logs_how_many_and_never_who(people, caplog):
    keen = people["keen"]
    identities = [keen.email, keen.last_name, people["absent"].email]

    with caplog.at_level(logging.INFO, logger="privacy"):
        done = _run_seven_years_on()

    lines = [record.getMessage() for record in caplog.records if record.name.startswith("privacy")]
    assert len(lines) == 1 and f"{done} people anonymised" in lines[0]
    assert not any(identity in lines[0] for identity in identities)


def test_the_default_policy_is_six_years_until_an_administrator_saves_one(db):
    assert retention_policy().years == 6
    assert not RetentionPolicy.objects.exists()


def test_the_job_is_scheduled_nightly_and_runs_as_a_task(people, settings):
    from privacy import tasks

    [entry] = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"].startswith("privacy.")]
    assert entry["task"] == tasks.retention_anonymise.name

    assert tasks.retention_anonymise.delay().get() == 0  # nobody is past six years today
