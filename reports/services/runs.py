"""Making the annual Training Summary PDF in the background, with progress."""

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import task_enqueue
from core.periods import Period

from .. import pdf, selectors
from ..models import ReportRun

logger = logging.getLogger(__name__)

# A run no worker has started this long after it was asked for has lost its
# task (the broker was down, or lost the message) and is queued again.
REQUEUE_AFTER = dt.timedelta(minutes=10)


def report_run_request(*, period: Period, course_ids: list[int], by) -> ReportRun:
    """Ask for a Training Summary of a period, with a page for each course
    given; the PDF is made by a Celery task once this is saved."""
    from .. import tasks

    with transaction.atomic():
        run = ReportRun.objects.create(
            period_start=period.start,
            period_end=period.end,
            course_ids=sorted(set(course_ids)),
            requested_by=by,
            stage=_("Waiting to start"),
        )
        transaction.on_commit(lambda: task_enqueue(tasks.report_run_generate, run.pk))
    return run


def report_runs_requeue(*, now: dt.datetime | None = None) -> int:
    """Queue again, once, each run that no worker has started REQUEUE_AFTER
    after it was asked for. Returns how many were queued."""
    from .. import tasks

    now = now or timezone.now()
    waiting = ReportRun.objects.filter(
        status=ReportRun.Status.QUEUED, progress=0, queued_again_at__isnull=True, created_at__lt=now - REQUEUE_AFTER
    )
    queued = 0
    for run_id in list(waiting.values_list("pk", flat=True)):
        # Claimed by the update, so a second run of this job does not queue it twice.
        if not ReportRun.objects.filter(pk=run_id, queued_again_at__isnull=True).update(queued_again_at=now):
            continue
        if task_enqueue(tasks.report_run_generate, run_id):
            queued += 1
        else:  # the broker is still down: the next run of this job tries again
            ReportRun.objects.filter(pk=run_id).update(queued_again_at=None)
    return queued


def _progress(run_id: int, percent: int, stage: str) -> None:
    # Saved at once, outside any transaction, so the waiting page sees it.
    ReportRun.objects.filter(pk=run_id).update(progress=min(percent, 100), stage=str(stage)[:200])


def report_run_generate(*, run_id: int, final_attempt: bool = True) -> ReportRun:
    """Gather the figures, draw the PDF and keep it under MEDIA_ROOT, telling
    the run how far it has got. A failure is recorded on the run (and logged);
    a run that has finished is left alone. Unless this is the final attempt,
    a failing file store (OSError) is raised instead, for the task to retry."""
    run = ReportRun.objects.get(pk=run_id)
    if run.is_finished:
        return run
    ReportRun.objects.filter(pk=run_id).update(status=ReportRun.Status.RUNNING)
    try:
        summary = selectors.annual_summary(
            Period(run.period_start, run.period_end),
            run.course_ids,
            progress=lambda percent, stage: _progress(run_id, percent, stage),
        )
        data = pdf.training_summary_pdf(summary)
        _progress(run_id, 95, _("Saving the file"))
        run.refresh_from_db()
        run.file.save(run.download_name, ContentFile(data), save=False)
        run.status, run.progress, run.stage = ReportRun.Status.DONE, 100, ""
    except Exception as error:
        if isinstance(error, OSError) and not final_attempt:
            ReportRun.objects.filter(pk=run_id).update(status=ReportRun.Status.QUEUED, stage=_("Waiting to try again"))
            raise
        logger.exception("Training summary %s failed", run_id)
        run.refresh_from_db()
        run.status, run.stage = ReportRun.Status.FAILED, ""
        run.error = f"{type(error).__name__}: {error}"[:2000]
    run.finished_at = timezone.now()
    run.save()
    return run
