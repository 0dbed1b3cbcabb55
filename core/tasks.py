from celery import shared_task

from . import services
from .jobs import task_enqueue
from .models import Heartbeat


@shared_task
def email_deliver(email_id):
    """Send one outbox e-mail. A refusal is recorded on the row with the time of
    the next attempt, which the outbox sweep queues when due: no retry waits in
    the worker as a countdown message, which a broker restart would lose (and
    which celery 5.7.0 died holding). Should this task fail for another reason
    (the database is down), the sweep finds the e-mail unsent all the same."""
    services.email_deliver_now(email_id=email_id)


@shared_task
def email_outbox_sweep():
    """Queue the e-mails due: retries whose time has come, and those a broker
    outage or a dead worker left unsent."""
    for email_id in services.email_outbox_unsent():
        task_enqueue(email_deliver, email_id)


@shared_task
def jobs_heartbeat():
    """Beat queues this every minute; a worker running it shows the whole path
    (beat, broker, worker, database) works. /health/jobs/ reports it stale."""
    services.heartbeat_record(name=Heartbeat.JOBS)
