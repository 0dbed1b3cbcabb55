"""Approving held places: by the line manager, or by the agency coordinator
when the non-attendance policy applies."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import emails
from ..exceptions import BookingStateError
from ..models import Booking
from ._common import booking_lock, place_grant, status_change
from .waitlist import waitlist_offer_next


@transaction.atomic
def booking_approval_decide(*, booking: Booking, approve: bool, by=None, note: str = "") -> Booking:
    """Confirm or release a place held for approval. `by` is the approver's
    account when they have one (a line manager may not)."""
    booking = booking_lock(booking.pk)
    if booking.status != Booking.Status.PENDING_APPROVAL:
        raise BookingStateError(
            _("This booking has already been decided (it is %(status)s).")
            % {"status": booking.get_status_display().lower()}
        )
    if approve:
        place_grant(booking, by=by, note=note or "approved", approved=True)
    else:
        status_change(booking, Booking.Status.DECLINED, by=by, note=note or "declined")
        emails.booking_declined(booking)
        waitlist_offer_next(booking.session, now=timezone.now())
    return booking
