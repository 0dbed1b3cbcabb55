"""Never overbook: many people booking the last places at the same moment.

These run against PostgreSQL, whose row lock on the session is what keeps
simultaneous bookings apart; on SQLite every writer is serialised anyway, so
there is no race to show. Threads only see committed rows, so the tests run
with `transactional_db` (with serialized rollback, which reloads the rows the
data migrations made, such as sectors and roles, that a flush removes); each
thread closes its own connection when done.
"""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection

from accounts.models import User
from bookings.models import Booking
from bookings.selectors import waitlist_position
from bookings.services import booking as booking_services
from bookings.services import booking_create
from courses.models import Session
from tests.factories import AgencyFactory, SessionFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL=postgres://...); SQLite serialises writers, so nothing can race",
    ),
]

# Every thread holds a database connection and PostgreSQL allows 100 by
# default, so attempts are released together in waves of this many.
WAVE = 40


def _people(count: int) -> list[User]:
    # Staff of a contributing partner book free places, so there is no payment step.
    agency = AgencyFactory(contributes=True)
    User.objects.bulk_create(
        User(email=f"rush{n}@example.org", first_name="Rush", last_name=f"Person{n}", agency=agency)
        for n in range(count)
    )
    return list(User.objects.filter(email__startswith="rush").order_by("pk"))


def _book_at_once(session: Session, people: list[User]) -> Counter:
    """Everyone books the session from their own thread, WAVE threads released
    together by a barrier. Returns how the attempts ended: a booking status or
    the name of the exception raised."""
    assert len(people) % WAVE == 0, "every wave must fill the barrier"
    barrier = threading.Barrier(WAVE, timeout=120)

    def attempt(user):
        try:
            barrier.wait()
            return booking_create(session=session, user=user).status
        except Exception as error:
            return type(error).__name__
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WAVE) as pool:
        return Counter(pool.map(attempt, people))


def test_without_the_session_lock_the_race_overbooks(monkeypatch):
    """The proof that the other test could fail. With the session lock replaced
    by a plain read, and a pause between counting the free places and taking
    one, everyone released at once sees places free and takes one. If this
    stopped overbooking, the threads would no longer be racing and the
    test below would pass whatever the locking did."""

    def session_unlocked(session_id):
        return Session.objects.select_related("course", "venue").get(pk=session_id)

    count_free = booking_services.places_free

    def places_free_slowly(session):
        free = count_free(session)
        time.sleep(0.05)
        return free

    monkeypatch.setattr(booking_services, "session_lock", session_unlocked)
    monkeypatch.setattr(booking_services, "places_free", places_free_slowly)
    session = SessionFactory(capacity=5)

    outcomes = _book_at_once(session, _people(WAVE))

    confirmed = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count()
    assert outcomes["confirmed"] == confirmed
    assert confirmed > session.capacity


def test_two_hundred_simultaneous_bookings_fill_twenty_places_exactly():
    """Released 40 at a time (the connection limit), each wave racing the
    others and the last bookings of the wave before."""
    session = SessionFactory(capacity=20)
    people = _people(200)

    outcomes = _book_at_once(session, people)

    assert outcomes == {"confirmed": 20, "waitlisted": 180}
    bookings = Booking.objects.filter(session=session)
    assert sorted(bookings.values_list("user_id", flat=True)) == [person.pk for person in people]
    assert bookings.filter(status=Booking.Status.CONFIRMED).count() == 20
    waitlisted = list(bookings.filter(status=Booking.Status.WAITLISTED))
    assert sorted(booking.queue_number for booking in waitlisted) == list(range(1, 181))
    assert sorted(waitlist_position(booking) for booking in waitlisted) == list(range(1, 181))
    # Everyone is told, once, after their booking committed.
    assert len(mail.outbox) == 200
