"""The broker is down when a booking is made: the booking is kept, its e-mail
waits in the outbox, and once the broker is back the outbox sweep (a beat
job) has the worker send it."""

import datetime as dt
import time

import pytest
from django.core import mail
from django.db.models import F
from django.urls import reverse

from accounts.roles import Role
from bookings.models import Booking
from core.models import OutboundEmail
from core.tasks import email_outbox_sweep
from tests.factories import SessionFactory, UserFactory
from tests.stripe_server import wait_for

from .conftest import TEST_REDIS_URL, closed_port_url, point_broker_at

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_booking_made_while_the_broker_is_down_is_kept_and_confirmed_once_it_is_back(
    client, settings, running_worker, caplog
):
    session = SessionFactory(course__title="Recognising Neglect")
    delegate = UserFactory(role=Role.DELEGATE, email="sam@example.org")
    client.force_login(delegate)

    point_broker_at(settings, closed_port_url())
    started = time.monotonic()
    response = client.post(reverse("bookings:book", args=[session.pk]), {})
    took = time.monotonic() - started

    assert response.status_code == 302
    assert Booking.objects.get(session=session, user=delegate).status == Booking.Status.CONFIRMED
    email = OutboundEmail.objects.get()
    assert (email.to, email.sent_at, email.attempts) == (["sam@example.org"], None, 0)
    assert took < 15, f"the request waited {took:.1f}s for the broker"
    assert any("Could not queue core.tasks.email_deliver" in record.getMessage() for record in caplog.records)

    point_broker_at(settings, TEST_REDIS_URL)
    # The sweep leaves e-mails younger than two minutes to their own task.
    OutboundEmail.objects.update(created_at=F("created_at") - dt.timedelta(minutes=3))
    with running_worker():
        email_outbox_sweep.delay()
        wait_for(lambda: OutboundEmail.objects.filter(sent_at__isnull=False).exists(), message="the sweep to send")

    [message] = mail.outbox
    assert message.to == ["sam@example.org"] and "Recognising Neglect" in message.subject
