"""Background jobs of the reports app."""

from celery import shared_task

from core.jobs import retry_countdown

from . import services


@shared_task(bind=True, max_retries=5)
def report_run_generate(self, run_id):
    """Make one Training Summary PDF (see services.report_run_generate),
    retrying with back-off while the file store cannot be written."""
    try:
        services.report_run_generate(run_id=run_id, final_attempt=self.request.retries >= self.max_retries)
    except OSError as error:
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from error


@shared_task
def report_runs_requeue():
    """Queue again the Training Summaries whose task never reached a worker."""
    services.report_runs_requeue()


@shared_task
def history_import_check(import_id):
    """Check every row of an uploaded history spreadsheet, recording progress on it."""
    services.history_import_check_rows(import_id=import_id)


@shared_task
def history_import_apply(import_id):
    """Import a history spreadsheet someone has confirmed."""
    services.history_import_apply_confirmed(import_id=import_id)


@shared_task
def history_imports_requeue():
    """Queue again the import checks and imports whose task never reached a worker."""
    services.history_imports_requeue()
