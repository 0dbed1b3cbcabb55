from celery import shared_task

from . import services


@shared_task(acks_late=True)
def retention_anonymise():
    """Nightly: anonymise people past the retention period (idempotent, so a
    re-delivered task does no harm)."""
    return services.retention_anonymise()
