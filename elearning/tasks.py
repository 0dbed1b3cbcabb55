"""Scheduled e-learning jobs (Celery beat; see CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task

from . import services


@shared_task
def renewal_reminders_send():
    """Daily: remind delegates whose module completion is about to expire."""
    return services.renewal_reminders_send()
