"""A Training Summary asked for while the broker was down (its task never
reached a worker) is queued again by a scheduled job, once, and gets made."""

import datetime as dt

import pytest
from django.utils import timezone

from reports import services
from reports.models import ReportRun
from tests.dates import ago

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
