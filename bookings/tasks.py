"""Scheduled booking jobs (Celery beat; see CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task

from . import services


@shared_task
def waitlist_offers_expire():
    """Every few minutes: unanswered offers lapse and their places pass on."""
    return services.waitlist_offers_expire()


@shared_task
def reminders_send():
    """Hourly: reminders 7 days and 1 day before each session."""
    return services.reminders_send()


@shared_task
def undersubscription_alert_send():
    """Daily: sessions starting soon below their minimum numbers."""
    return services.undersubscription_alert_send()


@shared_task
def booking_payment_holds_expire():
    """Every few minutes: card holds not paid in time release their places."""
    return services.booking_payment_holds_expire()
