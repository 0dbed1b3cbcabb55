"""A Training Summary asked for while the broker was down (its task never
reached a worker) is queued again by a scheduled job, once, and gets made."""

import datetime as dt

import pytest
from django.utils import timezone

from reports import services
from reports.models import ReportRun
from tests.dates import ago
from tests.resilience.conftest import closed_port_url, point_broker_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _run_asked_for(minutes_ago: int) -> ReportRun:
    today = timezone.localdate()
    run = ReportRun.objects.create(period_start=today - dt.timedelta(days=30), period_end=today)
    ReportRun.objects.filter(pk=run.pk).update(created_at=ago(minutes=minutes_ago))
    return run


def test_a_run_no_worker_started_is_queued_again_and_made(django_capture_on_commit_callbacks):
    lost = _run_asked_for(minutes_ago=30)

    assert services.report_runs_requeue() == 1

    lost.refresh_from_db()
    assert lost.status == ReportRun.Status.DONE and lost.file and lost.queued_again_at is not None


def test_a_run_asked_for_a_moment_ago_is_left_to_its_own_task():
    recent = _run_asked_for(minutes_ago=2)

    assert services.report_runs_requeue() == 0

    recent.refresh_from_db()
    assert recent.status == ReportRun.Status.QUEUED and recent.queued_again_at is None


def test_a_run_already_queued_again_is_not_queued_a_second_time():
    waiting = _run_asked_for(minutes_ago=30)
    ReportRun.objects.filter(pk=waiting.pk).update(queued_again_at=ago(minutes=5))  # still waiting for a worker

    assert services.report_runs_requeue() == 0

    waiting.refresh_from_db()
    assert waiting.status == ReportRun.Status.QUEUED


def test_a_run_the_broker_still_cannot_take_is_left_for_the_next_requeue(settings, caplog):
    lost = _run_asked_for(minutes_ago=30)
    site_broker = settings.CELERY_BROKER_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False
    point_broker_at(settings, closed_port_url())
    try:
        assert services.report_runs_requeue() == 0
    finally:
        point_broker_at(settings, site_broker)

    lost.refresh_from_db()
    assert lost.status == ReportRun.Status.QUEUED and lost.queued_again_at is None
    assert any("Could not queue reports.tasks.report_run_generate" in record.getMessage() for record in caplog.records)
