"""The database connection drops in the middle of a booking: the delegate gets
a plain error page, nothing of the booking is left behind, and trying again
works (the site reconnects)."""

import pytest
from django.db import connection, connections
from django.db.models.signals import post_save
from django.urls import reverse

from accounts.roles import Role
from bookings.models import Booking, BookingHistory
from core.models import OutboundEmail
from tests.factories import SessionFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL=postgres://...) to end a connection from outside",
    ),
]


def _drop_the_connection_once_the_booking_row_is_written():
    """Like a database restart or a network cut mid-request: once the booking
    row is inserted (its transaction still open), the server ends the
    request's connection (pg_terminate_backend from another connection)."""

    def terminate(sender, instance, created, **kwargs):
        post_save.disconnect(terminate, sender=Booking)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            [pid] = cursor.fetchone()
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            other.close()

    post_save.connect(terminate, sender=Booking, weak=False)
    return terminate


def test_a_connection_lost_mid_booking_shows_an_error_page_and_leaves_no_half_booking(client):
    session = SessionFactory(course__title="Recognising Neglect", capacity=1)
    delegate = UserFactory(role=Role.DELEGATE)
    client.force_login(delegate)
    client.raise_request_exception = False

    hook = _drop_the_connection_once_the_booking_row_is_written()
    try:
        response = client.post(reverse("bookings:book", args=[session.pk]), {})
    finally:
        post_save.disconnect(hook, sender=Booking)

    page = response.content.decode()
    assert response.status_code in (500, 503)
    assert not [word for word in ("Traceback", "OperationalError", "terminating connection", "psycopg") if word in page]
    assert not Booking.objects.exists()
    assert not BookingHistory.objects.exists()
    assert not OutboundEmail.objects.exists()

    again = client.post(reverse("bookings:book", args=[session.pk]), {})

    assert again.status_code == 302
    assert Booking.objects.get().status == Booking.Status.CONFIRMED
