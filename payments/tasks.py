from celery import shared_task

from core.jobs import retry_countdown

from . import services


@shared_task(bind=True, max_retries=10)
def refund_send(self, refund_id):
    """Send a refund to Stripe, retrying with back-off while Stripe cannot be reached."""
    try:
        services.refund_send(refund_id=refund_id)
    except Exception as error:
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from error


@shared_task
def payments_reconcile():
    """Every few minutes: settle card payments whose webhook never came, and
    send refunds that were never queued or ran out of retries (the refund's
    idempotency key makes a second send harmless)."""
    from bookings.services import booking_payments_reconcile

    return {"payments": booking_payments_reconcile(), "refunds": services.refunds_pending_send()}
