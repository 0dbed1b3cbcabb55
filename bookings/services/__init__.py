"""Every write about bookings. Import services from here:
`from bookings.services import booking_create`."""

from .approval import booking_approval_decide, booking_approval_staff_decide
from .booking import booking_cancel, booking_create, booking_move, booking_substitute
from .payment import (
    booking_payment_check,
    booking_payment_event,
    booking_payment_holds_expire,
    booking_payment_result,
    booking_payment_start,
    booking_payments_reconcile,
)
from .register import non_attendance_reason_submit, register_mark, register_submit, register_walk_in_add
from .reminders import reminders_send, undersubscription_alert_send
from .session import session_cancel
from .waitlist import (
    waitlist_offer_accept,
    waitlist_offer_decline,
    waitlist_offers_expire,
    waitlist_refill,
)

__all__ = [
    "booking_approval_decide",
    "booking_approval_staff_decide",
    "booking_cancel",
    "booking_create",
    "booking_move",
    "booking_payment_check",
    "booking_payment_event",
    "booking_payment_holds_expire",
    "booking_payment_result",
    "booking_payment_start",
    "booking_payments_reconcile",
    "booking_substitute",
    "non_attendance_reason_submit",
    "register_mark",
    "register_submit",
    "register_walk_in_add",
    "reminders_send",
    "session_cancel",
    "undersubscription_alert_send",
    "waitlist_offer_accept",
    "waitlist_offer_decline",
    "waitlist_offers_expire",
    "waitlist_refill",
]
