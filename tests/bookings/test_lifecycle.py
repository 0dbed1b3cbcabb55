"""The one table of a booking's moves (bookings/lifecycle.py) and the one
function that makes them (status_change)."""

import pytest

from bookings.exceptions import BookingStateError
from bookings.lifecycle import TRANSITIONS, can_move
from bookings.models import Booking, BookingHistory
from bookings.services import register_walk_in_add
from bookings.services._common import status_change
from tests.dates import ago, ahead
from tests.factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db

S = Booking.Status


def test_every_status_has_its_row_in_the_table_and_moves_only_to_statuses():
    assert set(TRANSITIONS) == set(S.values)
    for moves in TRANSITIONS.values():
        assert moves <= set(S.values)


def test_final_statuses_move_nowhere_and_a_booking_never_returns_to_the_waiting_list():
    final = {S.CANCELLED, S.LATE_CANCELLED, S.DECLINED, S.OFFER_DECLINED, S.OFFER_EXPIRED, S.LEFT_WAITING_LIST,
             S.SUBSTITUTED, S.MOVED, S.SESSION_CANCELLED}
    assert all(not TRANSITIONS[status] for status in final)
    assert not any(can_move(status, S.WAITLISTED) for status in S.values)


def test_a_move_the_table_does_not_allow_is_refused_with_a_readable_message_and_nothing_written():
    booking = BookingFactory(status=S.CANCELLED, session__start=ahead(days=10))

    with pytest.raises(BookingStateError, match="This booking is cancelled, so it cannot become confirmed"):
        status_change(booking, S.CONFIRMED, note="reopened")

    booking.refresh_from_db()
    assert booking.status == S.CANCELLED
    assert not BookingHistory.objects.filter(booking=booking, to_value=S.CONFIRMED).exists()


def test_a_walk_in_who_was_waiting_moves_through_the_table_and_their_history_says_from_where(administrator):
    session = SessionFactory(start=ago(hours=2), end=ago(hours=1), capacity=2)
    waiting = BookingFactory(session=session, status=S.WAITLISTED, queue_number=1)

    register_walk_in_add(session=session, email=waiting.user.email, first_name="", last_name="", by=administrator)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.attendance, waiting.is_walk_in) == (S.CONFIRMED, "attended", True)
    last = BookingHistory.objects.filter(booking=waiting).latest("pk")
    assert (last.from_value, last.to_value, last.note) == (S.WAITLISTED, S.CONFIRMED, "walk-in")
