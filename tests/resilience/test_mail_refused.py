"""The mail server refuses a message: it is tried again with back-off (the
outbox sweep, run by beat, queues each retry when due), and after the last
attempt the e-mail is reported (marked failed, logged without its body, listed
for the training team) and never sent again by the sweep."""

import datetime as dt
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from bookings.services import booking_create
from core.models import OutboundEmail
from core.services import email_outbox_unsent
from tests.factories import SessionFactory, UserFactory
from tests.stripe_server import wait_for

from .smtp_server import refusing_smtp_server

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def refusing_mail_server(settings):
    with refusing_smtp_server() as (port, handler):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
        # Three attempts, a second or two apart, instead of eight over hours.
        settings.EMAIL_MAX_ATTEMPTS, settings.TASK_RETRY_BACKOFF, settings.TASK_RETRY_BACKOFF_MAX = 3, 1, 2
        yield handler


def test_a_refused_email_is_retried_then_reported_and_never_swept_again(
    refusing_mail_server, celery_worker, running_beat, client, caplog
):
    session = SessionFactory(course__title="Recognising Neglect")
    booking_create(session=session, user=UserFactory(email="gone@example.org"))

    with caplog.at_level(logging.ERROR, logger="core.services"), running_beat():
        wait_for(lambda: OutboundEmail.objects.filter(failed_at__isnull=False).exists(), timeout=30,
                 message="the e-mail to be given up")

    email = OutboundEmail.objects.get()
    assert refusing_mail_server.refused == ["gone@example.org"] * 3
    assert (email.sent_at, email.attempts) == (None, 3)
    assert "550" in email.last_error and "Mailbox unavailable" in email.last_error
    [report] = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert f"E-mail {email.pk} failed after 3 attempts" in report.getMessage()
    assert not [line for line in email.body.splitlines() if len(line) > 10 and line in report.getMessage()]

    assert email_outbox_unsent(now=timezone.now() + dt.timedelta(days=30)) == []
    client.force_login(UserFactory(role=Role.TRAINING_ADMINISTRATOR))
    staff_home = client.get(reverse("core:staff_home")).content.decode()
    failed_list = client.get(reverse("core:email_failed_list")).content.decode()
    assert "1 e-mail could not be sent" in staff_home
    assert "gone@example.org" in failed_list and "Mailbox unavailable" in failed_list
