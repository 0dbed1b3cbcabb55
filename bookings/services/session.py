"""Cancelling a whole session."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Session
from payments.services import charge_settle_on_cancel

from .. import emails
from ..exceptions import BookingStateError
from ..models import Booking
from ._common import session_lock, status_change


@transaction.atomic
def session_cancel(*, session: Session, by, reason: str) -> Session:
    """Cancel a session with a reason the annual report can quote. Everyone
    booked or waiting is told; the calendar shows it as cancelled."""
    reason = reason.strip()
    if not reason:
        raise BookingStateError(_("Give a reason for cancelling the session."))
    session = session_lock(session.pk)
    if session.is_cancelled:
        raise BookingStateError(_("This session is already cancelled."))
    if session.register_is_submitted:
        raise BookingStateError(_("This session has run and its register is submitted; it cannot be cancelled."))
    session.status = Session.Status.CANCELLED
    session.cancellation_reason = reason[:300]
    session.cancelled_at = timezone.now()
    session.save(update_fields=["status", "cancellation_reason", "cancelled_at"])
    for booking in session.bookings.filter(status__in=Booking.LIVE_STATUSES).select_related("user"):
        status_change(booking, Booking.Status.SESSION_CANCELLED, by=by, note=reason)
        charge_settle_on_cancel(
            booking=booking, late=False, reason="the partnership cancelled the session", by=by
        )
        emails.session_cancelled(booking)
    return session
