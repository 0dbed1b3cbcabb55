"""Scheduled e-learning jobs (Celery beat; see CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task

from . import services


@shared_task
def renewal_reminders_send():
    """Daily: remind delegates whose module completion is about to expire."""
    return services.renewal_reminders_send()


@shared_task
def completion_import_check(import_id):
    """Check every row of an uploaded provider file, recording progress on it."""
    services.completion_import_check_rows(import_id=import_id)


@shared_task
def completion_import_apply(import_id):
    """Import a provider file someone has confirmed."""
    services.completion_import_apply_confirmed(import_id=import_id)


@shared_task
def completion_imports_requeue():
    """Queue again the import checks and imports whose task never reached a worker."""
    services.completion_imports_requeue()
