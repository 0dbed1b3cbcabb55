"""Every periodic job in the beat schedule is safe to run twice in a row (a
re-delivered message, two beat processes, a retry after a worker died): the
second run sends nothing and changes nothing the first did not.

Each job has a scenario that gives it work, so the first run does something;
a beat entry without a scenario fails here until someone shows it is safe."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import JobRole
from accounts.roles import Role
from bookings.models import Booking
from bookings.services import booking_create, booking_payment_start
from core.models import Heartbeat, OutboundEmail
from core.services import email_enqueue
from courses.models import CourseFormat
from elearning.models import Completion, add_months
from evaluations.models import EvaluationRequest
from payments.models import BandRate, ChargingBand, Payment
from tests.dates import ago, ahead
from tests.elearning.factories import ModuleFactory
from tests.evaluations.builders import attendee, held_session
from tests.factories import AgencyFactory, BookingFactory, CourseFactory, SessionFactory, UserFactory
from tests.stripe_server import pay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_api")]

SCENARIOS = {}


def scenario(job):
    """Register what gives the beat entry `job` something to do. The function
    may return a callable measuring the job's effects besides the e-mails sent."""

    def register(function):
        SCENARIOS[job] = function
        return function

    return register


def _card_booking():
    band = ChargingBand.objects.create(name="Private and voluntary", slug="private-voluntary")
    BandRate.objects.create(band=band, format=CourseFormat.FULL_DAY, price_pence=5000, fee_pence=0)
    payer = UserFactory(role=Role.DELEGATE, job_role=JobRole.EARLY_YEARS, agency=AgencyFactory(charging_band=band))
    session = SessionFactory(course=CourseFactory(format=CourseFormat.FULL_DAY, charging="band"))
    return booking_create(session=session, user=payer, payment_method="card")


@scenario("waitlist-offers-expire")
def _an_offer_lapsed_with_someone_waiting():
    session = SessionFactory(capacity=1, start=ahead(days=20))
    BookingFactory(session=session, status=Booking.Status.OFFERED, offer_expires_at=ago(hours=1))
    BookingFactory(session=session, status=Booking.Status.WAITLISTED, queue_number=1)


@scenario("reminders-send")
def _a_session_next_week():
    BookingFactory(session__start=ahead(days=5))


@scenario("undersubscription-alert")
def _a_session_soon_below_its_minimum():
    UserFactory(role=Role.TRAINING_ADMINISTRATOR)
    BookingFactory(session__start=ahead(days=5), session__minimum_numbers=5)


@scenario("email-outbox-sweep")
def _an_email_the_broker_never_took():
    email_enqueue(subject="Left behind", body="Body\n", to=["someone@example.org"])  # its on-commit never ran
    OutboundEmail.objects.update(created_at=F("created_at") - dt.timedelta(minutes=5))


@scenario("jobs-heartbeat")
def _no_worker_seen_yet():
    return Heartbeat.objects.filter(name=Heartbeat.JOBS).exists


@scenario("payment-holds-expire")
def _a_card_hold_ran_out():
    booking = _card_booking()
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=ago(minutes=1))


@scenario("payments-reconcile")
def _a_payment_whose_webhook_never_came():
    payment, _secret = booking_payment_start(booking=_card_booking())
    pay(payment.stripe_payment_intent_id)
    Payment.objects.update(created_at=F("created_at") - dt.timedelta(hours=1))


@scenario("evaluation-requests-open")
def _a_register_submitted_without_invitations():
    attendee(held_session(days_ago=3))


@scenario("evaluation-reminders-send")
def _an_invitation_unanswered_for_a_week():
    attendee(held_session(days_ago=8))
    from evaluations.services import evaluation_requests_open

    evaluation_requests_open()  # its invitation is not the point here: not delivered
    EvaluationRequest.objects.update(created_at=ago(days=7))
    OutboundEmail.objects.all().delete()


@scenario("elearning-renewal-reminders")
def _a_completion_about_to_expire():
    module = ModuleFactory(renewal_months=36)
    completed_on = add_months(timezone.localdate() + dt.timedelta(days=10), -36)
    Completion.objects.create(user=UserFactory(), module=module, completed_on=completed_on, source="imported")


@scenario("report-runs-requeue")
def _a_training_summary_whose_task_was_lost():
    from reports.models import ReportRun

    today = timezone.localdate()
    ReportRun.objects.create(period_start=today - dt.timedelta(days=30), period_end=today)
    ReportRun.objects.update(created_at=ago(minutes=30))
    return lambda: sorted(ReportRun.objects.values_list("status", flat=True))


@scenario("elearning-imports-requeue")
def _a_completions_file_whose_check_never_reached_a_worker():
    from elearning.models import CompletionImport
    from tests.security.test_large_uploads import _completions_csv

    content = _completions_csv(3).decode()
    CompletionImport.objects.create(filename="lost.csv", content=content, status=CompletionImport.Status.QUEUED)
    CompletionImport.objects.update(queued_at=ago(minutes=11))
    return lambda: sorted(CompletionImport.objects.values_list("status", "rows_checked"))


@scenario("history-imports-requeue")
def _a_history_file_whose_check_never_reached_a_worker():
    from reports.models import HistoryImport
    from tests.reports import history

    HistoryImport.objects.create(filename="lost.csv", content=history.csv_bytes().decode(), status="queued")
    HistoryImport.objects.update(queued_at=ago(minutes=11))
    return lambda: sorted(HistoryImport.objects.values_list("status", "rows_checked"))


@scenario("retention-anonymise")
def _someone_last_seen_long_ago():
    from privacy.models import ErasureRecord

    UserFactory(role=Role.DELEGATE, date_joined=ago(days=365 * 20), last_login=None)
    return ErasureRecord.objects.count


def _emails_sent():
    return sorted((message.subject, tuple(message.to)) for message in mail.outbox)


@pytest.mark.parametrize("job", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_a_scheduled_job_run_twice_in_a_row_does_its_work_once(
    job, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # where a job's files (the Training Summary PDF) go
    if job not in SCENARIOS:
        pytest.fail(f"The beat job {job!r} has no scenario here showing it is safe to run twice")
    other_effects = SCENARIOS[job]() or (lambda: None)
    task = import_string(settings.CELERY_BEAT_SCHEDULE[job]["task"])
    before = (_emails_sent(), other_effects())

    with django_capture_on_commit_callbacks(execute=True):
        task.delay()
    after_once = (_emails_sent(), other_effects(), OutboundEmail.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        task.delay()
    after_twice = (_emails_sent(), other_effects(), OutboundEmail.objects.count())

    assert after_once[:2] != before, f"{job} had nothing to do: its scenario must give it work"
    assert after_twice == after_once
