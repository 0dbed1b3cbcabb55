"""What every background job shares: queueing that survives a broker outage,
and the back-off between retries of work that reaches the network (mail,
Stripe, file storage)."""

import logging

from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

logger = logging.getLogger(__name__)


def task_enqueue(task, *args) -> bool:
    """Queue `task` with `args`. When the broker cannot be reached the caller
    carries on (its change is already committed) and a scheduled job, which
    finds the work still undone in the database, queues it later."""
    try:
        task.delay(*args)
    except Exception:
        logger.exception("Could not queue %s%r; a scheduled job will pick it up", task.name, args)
        return False
    return True


def retry_countdown(retries: int) -> int:
    """Seconds to wait before retrying, after `retries` retries so far: a random
    wait up to TASK_RETRY_BACKOFF × 2^retries, capped at TASK_RETRY_BACKOFF_MAX.
    The randomness ("full jitter") spreads out the retries of many tasks that
    failed together, so a mail server or Stripe coming back is not stampeded."""
    return get_exponential_backoff_interval(
        factor=settings.TASK_RETRY_BACKOFF,
        retries=retries,
        maximum=settings.TASK_RETRY_BACKOFF_MAX,
        full_jitter=True,
    )
