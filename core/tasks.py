from celery import shared_task

from . import services
from .jobs import retry_countdown, task_enqueue


# The outbox row counts attempts and reports the e-mail failed after
# EMAIL_MAX_ATTEMPTS refusals; max_retries only stops a task that keeps failing
# for another reason (the database is down) from retrying for ever.
@shared_task(bind=True, max_retries=50)
def email_deliver(self, email_id):
    """Send one outbox e-mail; retry with back-off while the mail server fails."""
    try:
        services.email_deliver_now(email_id=email_id)
    except Exception as error:
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from error


@shared_task
def email_outbox_sweep():
    """Send e-mails left unsent by a broker outage or a lost retry."""
    for email_id in services.email_outbox_unsent():
        task_enqueue(email_deliver, email_id)
