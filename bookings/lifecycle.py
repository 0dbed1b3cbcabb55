"""A booking's statuses and the moves allowed between them, in one table.

Every change of `Booking.status` goes through `bookings.services._common.
status_change`, which refuses a move this table does not list (with a message a
person can read) before anything is written. The follow-ups of each move are
still decided by the service that makes it; issue 13 brings them here too.

Statuses on the left of a row may move to those on its right. The ones with an
empty row are final: a booking is never reopened, a new place is a new booking.
"""

from django.utils.translation import gettext as _

from .exceptions import BookingStateError
from .models import Booking

S = Booking.Status

# Where a place is given (a new booking, an accepted offer, an approval, a
# walk-in who was waiting), its terms decide whether it is confirmed, held for
# approval or held for card payment.
_PLACE_GIVEN = {S.CONFIRMED, S.PENDING_APPROVAL, S.PAYMENT_PENDING}
# Whatever still has something on the session may be moved to another session
# or end with the session's cancellation.
_ENDED_FROM_OUTSIDE = {S.MOVED, S.SESSION_CANCELLED}

TRANSITIONS: dict[str, frozenset[str]] = {
    S.WAITLISTED: frozenset({*_PLACE_GIVEN, S.OFFERED, S.LEFT_WAITING_LIST, *_ENDED_FROM_OUTSIDE}),
    S.OFFERED: frozenset({*_PLACE_GIVEN, S.OFFER_DECLINED, S.OFFER_EXPIRED, *_ENDED_FROM_OUTSIDE}),
    # Approved: confirmed, or held for card payment when the place is charged.
    S.PENDING_APPROVAL: frozenset({S.CONFIRMED, S.PAYMENT_PENDING, S.DECLINED, S.CANCELLED, *_ENDED_FROM_OUTSIDE}),
    S.PAYMENT_PENDING: frozenset({S.CONFIRMED, S.PAYMENT_EXPIRED, S.CANCELLED, *_ENDED_FROM_OUTSIDE}),
    # A card payment that arrives after the hold lapsed still takes a free place.
    S.PAYMENT_EXPIRED: frozenset({S.CONFIRMED}),
    S.CONFIRMED: frozenset({S.CANCELLED, S.LATE_CANCELLED, S.SUBSTITUTED, *_ENDED_FROM_OUTSIDE}),
    S.CANCELLED: frozenset(),
    S.LATE_CANCELLED: frozenset(),
    S.DECLINED: frozenset(),
    S.OFFER_DECLINED: frozenset(),
    S.OFFER_EXPIRED: frozenset(),
    S.LEFT_WAITING_LIST: frozenset(),
    S.SUBSTITUTED: frozenset(),
    S.MOVED: frozenset(),
    S.SESSION_CANCELLED: frozenset(),
}


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS[from_status]


def move_check(booking: Booking, to_status: str) -> None:
    """Refuse a move the table does not allow, saying what the booking is now."""
    if not can_move(booking.status, to_status):
        raise BookingStateError(
            _("This booking is %(now)s, so it cannot become %(to)s.")
            % {"now": booking.get_status_display().lower(), "to": S(to_status).label.lower()}
        )


def status_on_cancel(booking: Booking, *, now, cutoff) -> str:
    """What cancelling makes of a booking at `now`: leaving the waiting list,
    declining an offer, a late cancellation (a confirmed place after the
    cut-off), or a cancellation. Places never confirmed (held for approval or
    payment) are never late. The cancel page's warning and booking_cancel both
    ask this, so they cannot disagree."""
    if booking.status == S.WAITLISTED:
        return S.LEFT_WAITING_LIST
    if booking.status == S.OFFERED:
        return S.OFFER_DECLINED
    if booking.status == S.CONFIRMED and now > cutoff:
        return S.LATE_CANCELLED
    return S.CANCELLED
