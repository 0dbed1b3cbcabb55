from celery import shared_task

from . import services


@shared_task(bind=True, max_retries=10)
def refund_send(self, refund_id):
    """Send a refund to Stripe, retrying with back-off while Stripe cannot be reached."""
    try:
        services.refund_send(refund_id=refund_id)
    except Exception as error:
        raise self.retry(exc=error, countdown=min(60 * 2**self.request.retries, 3600)) from error
