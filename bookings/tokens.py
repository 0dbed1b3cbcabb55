"""Signed one-click links in e-mails: an approver's decision and a delegate's
"release my place". They name a booking and expire; the page they open still
asks for a button press, because mail scanners follow links. An approval link
also names the address it was sent to, so that the page can refuse it to the
delegate whose place it is."""

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


def approval_make(booking_id: int, sent_to: str) -> str:
    return signing.dumps({"booking": booking_id, "to": sent_to.lower()}, salt=APPROVAL_SALT, compress=True)


def approval_read(token: str) -> tuple[int, str] | None:
    """(booking id, the address the link was sent to), or None for a forged,
    altered or expired token, or one made before links named their address."""
    try:
        data = signing.loads(token, salt=APPROVAL_SALT, max_age=MAX_AGE)
        booking_id, sent_to = int(data["booking"]), data["to"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if not isinstance(sent_to, str) or not sent_to:
        return None
    return booking_id, sent_to
