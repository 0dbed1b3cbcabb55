"""What every booking service shares: the session lock, counting places and
writing a status change with its history entry."""

import datetime as dt

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from courses.models import Session

from ..lifecycle import move_check
from ..models import Booking, BookingHistory
from ..selectors import approver_emails, dna_policy_applies


def session_lock(session_id: int) -> Session:
    """Lock a session row for the rest of the transaction. Every service that
    counts places and then writes takes this lock first, so two bookings can
    never both see the last place free. On PostgreSQL this is SELECT … FOR
    UPDATE; SQLite ignores it, but there every write transaction starts with
    BEGIN IMMEDIATE (config/settings.py), which already serialises writers."""
    return Session.objects.select_for_update(of=("self",)).select_related("course", "venue").get(pk=session_id)


def booking_lock(booking_id: int) -> Booking:
    """Lock a booking and its session (session first, the order every service uses)."""
    session_id = Booking.objects.values_list("session_id", flat=True).get(pk=booking_id)
    session_lock(session_id)
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("session__course", "user__agency")
        .get(pk=booking_id)
    )


def places_taken(session: Session) -> int:
    return Booking.objects.filter(session=session, status__in=Booking.PLACE_STATUSES).count()


def places_free(session: Session) -> int:
    return max(session.capacity - places_taken(session), 0)


def next_queue_number(session: Session) -> int:
    highest = Booking.objects.filter(session=session).aggregate(n=Max("queue_number"))["n"]
    return (highest or 0) + 1


def status_change(booking: Booking, to: str, *, by=None, note: str = "", **fields) -> Booking:
    """Move a booking to a new status and append the change to its history. The
    one writer of Booking.status after creation: a move bookings.lifecycle does
    not allow is refused before anything is written."""
    move_check(booking, to)
    history = BookingHistory(
        booking=booking,
        field=BookingHistory.Field.STATUS,
        from_value=booking.status,
        to_value=to,
        by=by,
        note=note[:300],
    )
    booking.status = to
    for name, value in fields.items():
        setattr(booking, name, value)
    booking.save()
    history.save()
    return booking


def history_start(booking: Booking, *, by=None, note: str = "") -> None:
    BookingHistory.objects.create(
        booking=booking,
        field=BookingHistory.Field.STATUS,
        from_value="",
        to_value=booking.status,
        by=by,
        note=note[:300],
    )


def subtract_working_days(moment: dt.datetime, days: int) -> dt.datetime:
    """The same time of day `days` working days (Monday to Friday) earlier.
    Bank holidays are not known to the system and count as working days."""
    result = timezone.localtime(moment)
    while days > 0:
        result -= dt.timedelta(days=1)
        if result.weekday() < 5:
            days -= 1
    return result


def cancellation_cutoff(session: Session) -> dt.datetime:
    """After this moment a cancellation is a late cancellation."""
    return subtract_working_days(session.start, settings.BOOKING_CANCELLATION_CUTOFF_WORKING_DAYS)


def last_working_day_starts(session: Session) -> dt.datetime:
    """From this moment a freed place is offered to the whole waiting list at once."""
    return subtract_working_days(session.start, 1)


def sessions_overlap_for(user, session: Session, *, exclude_booking_id=None) -> bool:
    """Does this person hold or queue for another session at the same time?"""
    clashes = Booking.objects.filter(
        user=user,
        status__in=Booking.LIVE_STATUSES,
        session__start__lt=session.end,
        session__end__gt=session.start,
        session__status=Session.Status.SCHEDULED,
    ).exclude(session=session)
    if exclude_booking_id:
        clashes = clashes.exclude(pk=exclude_booking_id)
    return clashes.exists()


def approver_needed(session: Session, user) -> str:
    """Who must approve this person's place: the line manager when the course
    says so, the agency coordinator under the non-attendance policy, or nobody.
    When the one asked for cannot be asked (no coordinator, no line manager's
    address, or only one of the person's own), the other is; when neither can
    be, the training administrators decide, so no place is held for nobody."""
    if session.course.requires_manager_approval:
        order = (Booking.Approver.LINE_MANAGER, Booking.Approver.COORDINATOR)
    elif dna_policy_applies(user):
        order = (Booking.Approver.COORDINATOR, Booking.Approver.LINE_MANAGER)
    else:
        return ""
    return next((approver for approver in order if approver_emails(approver, user)), Booking.Approver.STAFF)


def place_terms(session: Session, user, *, price_pence: int, payment_method: str, approved: bool = False):
    """The status a newly granted place takes, and its approver and card hold:
    approval first when needed; then card payment within the hold time for a
    chargeable card booking; otherwise confirmed (invoice bookings included)."""
    approver = "" if approved else approver_needed(session, user)
    if approver:
        return Booking.Status.PENDING_APPROVAL, approver, None
    if price_pence > 0 and payment_method == "card":
        hold = timezone.now() + dt.timedelta(minutes=settings.CARD_HOLD_MINUTES)
        return Booking.Status.PAYMENT_PENDING, "", hold
    return Booking.Status.CONFIRMED, "", None


def place_taken(booking: Booking) -> None:
    """What follows a granted place: the charge (card or invoice), the
    pre-course evaluation and the e-mail."""
    from evaluations.services import evaluation_pre_course_open
    from payments.services import charge_open

    from .. import emails
    from ..selectors import approvers_for

    if booking.status == Booking.Status.PENDING_APPROVAL:
        emails.booking_awaiting_approval(booking, approvers_for(booking))
        return
    if booking.price_pence > 0 and booking.status in (Booking.Status.PAYMENT_PENDING, Booking.Status.CONFIRMED):
        charge_open(booking=booking, method=booking.payment_method)
    if booking.status == Booking.Status.CONFIRMED:
        # The confirmation e-mail carries the pre-course evaluation's link.
        evaluation_pre_course_open(booking=booking)
        emails.booking_confirmed(booking)
    elif booking.status == Booking.Status.PAYMENT_PENDING:
        emails.booking_payment_due(booking)


def place_grant(booking: Booking, *, by, note: str, approved: bool = False) -> Booking:
    """Give a place to a booking already on the session (an accepted offer, an
    approval): the same terms as a new booking."""
    status, approver, hold = place_terms(booking.session, booking.user, price_pence=booking.price_pence,
                                         payment_method=booking.payment_method, approved=approved)
    status_change(booking, status, by=by, note=note, offer_expires_at=None, approver=approver or booking.approver,
                  hold_expires_at=hold)
    place_taken(booking)
    return booking
