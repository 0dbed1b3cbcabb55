"""Background jobs of the reports app."""

from celery import shared_task

from . import services


@shared_task
def report_run_generate(run_id):
    """Make one Training Summary PDF (see services.report_run_generate)."""
    services.report_run_generate(run_id=run_id)
