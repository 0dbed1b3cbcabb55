from celery import shared_task

from . import services


@shared_task(bind=True, max_retries=8)
def email_deliver(self, email_id):
    """Send one outbox e-mail; retry with back-off while the mail server fails."""
    try:
        services.email_deliver_now(email_id=email_id)
    except Exception as error:
        raise self.retry(exc=error, countdown=min(60 * 2**self.request.retries, 3600)) from error


@shared_task
def email_outbox_sweep():
    """Send e-mails left unsent by a broker or mail-server outage."""
    for email_id in services.email_outbox_unsent():
        email_deliver.delay(email_id)
