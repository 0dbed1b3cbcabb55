"""Scheduled evaluation jobs (Celery beat; see CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task

from . import services


@shared_task
def evaluation_requests_open():
    """Hourly: open follow-ups that came due, catch up pre- and post-course
    requests made outside the usual paths, issue certificates owed."""
    return services.evaluation_requests_open()


@shared_task
def evaluation_reminders_send():
    """Daily: remind those who have not answered, within the limit."""
    return services.evaluation_reminders_send()
