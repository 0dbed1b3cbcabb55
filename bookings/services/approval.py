"""Approving held places: by the line manager or the agency coordinator
through the link e-mailed to them, or by a training administrator on the
booking page. Nobody decides their own place."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record

from .. import emails
from ..exceptions import BookingStateError, NotAllowedError
from ..models import Booking
from ..permissions import can_decide_approval_as_staff, can_use_approval_link
from ._common import booking_lock, place_grant, status_change
from .waitlist import waitlist_offer_next


def _decide(booking: Booking, *, approve: bool, by, note: str) -> Booking:
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


@transaction.atomic
def booking_approval_decide(
    *, booking: Booking, approve: bool, by=None, sent_to: str = "", note: str = ""
) -> Booking:
    """Confirm or release a place held for approval, through the link e-mailed
    to `sent_to`. `by` is the account signed in, if any (a line manager may
    have none). Refused to the delegate, and for a link sent to an address
    that is now one of theirs."""
    booking = booking_lock(booking.pk)
    if not can_use_approval_link(by, booking, sent_to=sent_to):
        raise NotAllowedError(_("You cannot approve your own place."))
    if sent_to and not note:
        # The role, not the address: the history is the delegate's to read.
        decision = "approved" if approve else "declined"
        note = f"{decision} through the link e-mailed to the {booking.get_approver_display().lower()}"
    return _decide(booking, approve=approve, by=by, note=note)


@transaction.atomic
def booking_approval_staff_decide(*, booking: Booking, approve: bool, by) -> Booking:
    """A training administrator confirms or releases a held place from the
    booking page: the way out when nobody else can approve it. Audited."""
    booking = booking_lock(booking.pk)
    if not can_decide_approval_as_staff(by, booking):
        raise NotAllowedError(_("You cannot decide this place."))
    decision = "approved" if approve else "declined"
    _decide(booking, approve=approve, by=by, note=f"{decision} by the training team")
    audit_record(
        actor=by,
        action=AuditEntry.Action.APPROVAL_DECIDED,
        target=booking,
        before={"approver": booking.get_approver_display()},
        after={"decision": decision},
    )
    return booking
