"""The booking → confirmation e-mail path on a real Celery worker against
Redis: the booking is committed, its e-mail queued after commit, and the worker
(not the request) sends it."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from bookings.models import Booking
from core.models import OutboundEmail
from tests.factories import SessionFactory, UserFactory
from tests.stripe_server import wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_worker_sends_the_confirmation_of_a_place_booked_on_the_site(client, running_worker):
    session = SessionFactory(course__title="Recognising Neglect")
    delegate = UserFactory(role=Role.DELEGATE, email="sam@example.org")
    client.force_login(delegate)

    response = client.post(reverse("bookings:book", args=[session.pk]), {})

    booking = Booking.objects.get(session=session, user=delegate)
    assert response.status_code == 302 and booking.status == Booking.Status.CONFIRMED
    # No worker runs yet: an e-mail sent by now was sent by the request, not queued.
    assert (OutboundEmail.objects.get().sent_at, mail.outbox) == (None, [])
    with running_worker():
        wait_for(lambda: OutboundEmail.objects.filter(sent_at__isnull=False).exists(), message="the worker to send")
    [message] = mail.outbox
    assert message.to == ["sam@example.org"]
    assert "Recognising Neglect" in message.subject
