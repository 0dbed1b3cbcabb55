"""Redis restarts (an upgrade, a crash, a failover) while the worker holds work
for later: the worker carries on, and the e-mail whose retry was waiting is
sent once the mail server is back. A Redis server of the test's own is
restarted with nothing saved, as happens to a Redis without persistence."""

import pytest
from django.core import mail

from bookings.services import booking_create
from core.models import OutboundEmail
from core.tasks import email_outbox_sweep
from tests.factories import SessionFactory, UserFactory
from tests.stripe_server import free_port, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _sent():
    return OutboundEmail.objects.filter(sent_at__isnull=False).exists()


def test_an_email_whose_retry_waits_when_redis_restarts_is_sent_once_the_mail_server_is_back(
    own_broker, worker_on_own_redis, running_beat, settings
):
    # The mail server is down, so the confirmation's first attempt fails and a
    # retry waits: a few seconds here, up to half an hour in production.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.TASK_RETRY_BACKOFF, settings.TASK_RETRY_BACKOFF_MAX = 8, 8
    session = SessionFactory(course__title="Recognising Neglect")

    with worker_on_own_redis(), running_beat():
        booking_create(session=session, user=UserFactory(email="sam@example.org"))
        wait_for(lambda: OutboundEmail.objects.filter(attempts=1, claimed_at=None).exists(), timeout=20,
                 message="the first attempt to fail")

        own_broker.restart()
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the mail server is back
        wait_for(_sent, timeout=60, message="the e-mail to be sent after the restart")

    [message] = mail.outbox
    assert message.to == ["sam@example.org"] and "Recognising Neglect" in message.subject
    assert OutboundEmail.objects.get().attempts == 2


def test_a_worker_holding_a_task_for_later_keeps_working_after_redis_restarts(own_broker, worker_on_own_redis):
    with worker_on_own_redis():
        # A task with a countdown waits in the worker, unacknowledged, until its time.
        email_outbox_sweep.apply_async(countdown=600)
        broker = own_broker.client()
        wait_for(lambda: broker.hlen("unacked") == 1, message="the worker to take the task for later")

        own_broker.restart()
        booking_create(session=SessionFactory(), user=UserFactory(email="sam@example.org"))
        wait_for(_sent, timeout=30, message="the worker to send a confirmation after the restart")

    assert [message.to for message in mail.outbox] == [["sam@example.org"]]
