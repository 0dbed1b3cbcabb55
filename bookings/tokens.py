"""Signed one-click links in e-mails: a line manager's approval and a
delegate's "release my place". They name a booking and expire; the page they
open still asks for a button press, because mail scanners follow links."""

from django.core import signing

APPROVAL_SALT = "bookings.approval"
RELEASE_SALT = "bookings.release"
MAX_AGE = 60 * 60 * 24 * 60  # 60 days; the booking's own state decides the rest


def make(booking_id: int, salt: str) -> str:
    return signing.dumps({"booking": booking_id}, salt=salt, compress=True)


def read(token: str, salt: str) -> int | None:
    """The booking id, or None for a forged, altered or expired token."""
    try:
        return int(signing.loads(token, salt=salt, max_age=MAX_AGE)["booking"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
