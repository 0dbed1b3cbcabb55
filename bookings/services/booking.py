"""Taking, cancelling, handing over and moving places."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from courses.models import Session
from payments.selectors import price_for_person
from payments.services import charge_settle_on_cancel

from .. import emails
from ..exceptions import (
    AgencyCapReachedError,
    AlreadyBookedError,
    BookingStateError,
    NotAllowedError,
    OverlappingBookingError,
    PaymentChoiceError,
    SessionNotBookableError,
)
from ..lifecycle import status_on_cancel
from ..models import Booking
from ..selectors import waitlist_position
from ._common import (
    booking_lock,
    cancellation_cutoff,
    history_start,
    next_queue_number,
    place_taken,
    place_terms,
    places_free,
    session_lock,
    sessions_overlap_for,
    status_change,
)
from .waitlist import waitlist_offer_next

PAYMENT_FIELDS = ("price_pence", "fee_pence", "payment_method", "purchase_order", "billing_contact_name",
                  "billing_contact_email")
NEEDS_FIELDS = ("needs_step_free_access", "needs_bsl_interpreter", "needs_hearing_loop", "dietary_requirements")


def _check_bookable(session: Session, now) -> None:
    if session.is_cancelled:
        raise SessionNotBookableError(_("This session has been cancelled. Choose another session of the course."))
    if session.start <= now:
        raise SessionNotBookableError(_("This session has already started, so it can no longer be booked."))
    if session.booking_closes_at and now >= session.booking_closes_at:
        raise SessionNotBookableError(_("Bookings for this session have closed."))


def _check_actor(*, user, booked_by) -> None:
    if booked_by is None or booked_by.pk == user.pk:
        return
    if permissions.can_manage_programme(booked_by):
        return
    if permissions.can_coordinate_agency(booked_by, user.agency):
        return
    raise NotAllowedError(_("You can only book places for colleagues in your own agency."))


def _check_person(session: Session, user, *, exclude_booking_id=None) -> None:
    if Booking.objects.filter(session=session, user=user, status__in=Booking.LIVE_STATUSES).exists():
        raise AlreadyBookedError(_("%(name)s already has a booking on this session.") % {"name": user})
    if sessions_overlap_for(user, session, exclude_booking_id=exclude_booking_id):
        raise OverlappingBookingError(
            _("%(name)s is already booked on another session at the same time.") % {"name": user}
        )


def _check_agency_cap(session: Session, user) -> None:
    cap = session.course.agency_cap
    if not cap or user.agency_id is None:
        return
    held = Booking.objects.filter(
        session=session, user__agency_id=user.agency_id, status__in=Booking.PLACE_STATUSES
    ).count()
    if held >= cap:
        raise AgencyCapReachedError(
            _(
                "%(agency)s already has %(cap)s places on this session, the most one agency may hold. "
                "Choose another session."
            )
            % {"agency": user.agency, "cap": cap}
        )


def _place_booking(*, session, user, booked_by, note, notify=True, **details) -> Booking:
    """Create a booking on a locked session: a place if one is free (see
    place_terms), else the waiting list. E-mails go out after commit."""
    hold = None
    details.setdefault("agency_at_booking_id", user.agency_id)
    if places_free(session) > 0:
        status, approver, hold = place_terms(session, user, price_pence=details.get("price_pence", 0),
                                             payment_method=details.get("payment_method", ""))
        queue_number = None
    else:
        approver, status, queue_number = "", Booking.Status.WAITLISTED, next_queue_number(session)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(session=session, user=user, booked_by=booked_by, status=status,
                                             approver=approver, queue_number=queue_number, hold_expires_at=hold,
                                             **details)
    except IntegrityError:
        # A double-submit that raced the check above hits the unique constraint.
        raise AlreadyBookedError(_("%(name)s already has a booking on this session.") % {"name": user}) from None
    history_start(booking, by=booked_by or user, note=note)
    if not notify:
        return booking
    if booking.status == Booking.Status.WAITLISTED:
        emails.booking_waitlisted(booking, waitlist_position(booking))
    else:
        place_taken(booking)
    return booking


def _payment_terms(session: Session, user, *, payment_method, purchase_order, billing_contact_name,
                   billing_contact_email) -> dict:
    """Fix the price and fee on the booking now; check the way to pay fits."""
    price = price_for_person(session.course, user)
    terms = {"price_pence": price.price_pence, "fee_pence": price.fee_pence}
    if not price.is_chargeable:
        return terms
    if payment_method not in ("card", "invoice"):
        raise PaymentChoiceError(_("Choose how to pay: by card now, or by invoice to your organisation."))
    if payment_method == "invoice":
        if not price.invoicing_allowed:
            raise PaymentChoiceError(_("Organisations in this charging band pay by card. Choose card payment."))
        if not billing_contact_email:
            raise PaymentChoiceError(_("Give the email address of the person who pays invoices."))
    return {**terms, "payment_method": payment_method, "purchase_order": purchase_order.strip()[:100],
            "billing_contact_name": billing_contact_name.strip()[:200],
            "billing_contact_email": billing_contact_email.strip()}


@transaction.atomic
def booking_create(
    *,
    session: Session,
    user,
    booked_by=None,
    requirements: str = "",
    needs: dict | None = None,
    payment_method: str = "",
    purchase_order: str = "",
    billing_contact_name: str = "",
    billing_contact_email: str = "",
) -> Booking:
    """Book a place, or a waiting-list place when the session is full. Confirmed
    places never exceed capacity, however many people book at once.

    `needs` holds the additional requirements (step-free access, BSL
    interpreter, hearing loop: booleans; dietary: text); `requirements` is any
    other requirement in the delegate's words. Chargeable delegates choose
    `payment_method` "card" (the place is held while they pay: status
    "payment_pending") or "invoice" (confirmed, and the organisation invoiced)."""
    now = timezone.now()
    session = session_lock(session.pk)
    _check_bookable(session, now)
    _check_actor(user=user, booked_by=booked_by)
    _check_person(session, user)
    _check_agency_cap(session, user)
    details = {name: value for name, value in (needs or {}).items() if name in NEEDS_FIELDS}
    details.update(_payment_terms(session, user, payment_method=payment_method, purchase_order=purchase_order,
                                  billing_contact_name=billing_contact_name,
                                  billing_contact_email=billing_contact_email))
    return _place_booking(
        session=session,
        user=user,
        booked_by=booked_by if booked_by != user else None,
        note="",
        requirements=requirements.strip(),
        **details,
    )


@transaction.atomic
def booking_cancel(*, booking: Booking, by) -> Booking:
    """Cancel a place or leave the waiting list. After the cut-off (working days
    before the start) a cancelled place is a late cancellation. A freed place
    goes to the waiting list at once."""
    booking = booking_lock(booking.pk)
    now = timezone.now()
    if not booking.is_live:
        raise BookingStateError(
            _("This booking is already %(status)s.") % {"status": booking.get_status_display().lower()}
        )
    if booking.session.start <= now and booking.holds_place:
        raise BookingStateError(
            _(
                "The session has started, so the place can no longer be cancelled. "
                "The trainer records attendance on the register."
            )
        )
    held_place = booking.holds_place
    to = status_on_cancel(booking, now=now, cutoff=cancellation_cutoff(booking.session))
    status_change(booking, to, by=by)
    if to in (Booking.Status.CANCELLED, Booking.Status.LATE_CANCELLED):
        charge_settle_on_cancel(booking=booking, late=to == Booking.Status.LATE_CANCELLED,
                                reason="cancelled by the delegate", by=by)
        emails.booking_cancelled(booking)
    if held_place:
        waitlist_offer_next(booking.session, now=now)
    return booking


@transaction.atomic
def booking_substitute(*, booking: Booking, colleague, by) -> Booking:
    """Hand a confirmed place to a colleague from the same agency. Free of
    charge and not a cancellation: the place never returns to the pool."""
    booking = booking_lock(booking.pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingStateError(_("Only a confirmed place can be passed to a colleague."))
    if booking.session.start <= timezone.now():
        raise BookingStateError(_("The session has started, so the place can no longer be passed on."))
    if colleague.agency_id is None or colleague.agency_id != booking.user.agency_id:
        raise NotAllowedError(_("A place can only be passed to a colleague from the same agency."))
    _check_actor(user=booking.user, booked_by=by)
    _check_person(booking.session, colleague)
    status_change(booking, Booking.Status.SUBSTITUTED, by=by, note=f"to {colleague.email}")
    new = Booking.objects.create(
        session=booking.session, user=colleague, booked_by=by, status=Booking.Status.CONFIRMED,
        agency_at_booking_id=booking.agency_at_booking_id, **{name: getattr(booking, name) for name in PAYMENT_FIELDS},
    )
    # The place, and whatever was paid or invoiced for it, passes on unchanged.
    booking.charges.update(booking=new)
    history_start(new, by=by, note=f"substitute for {booking.user.email}")
    emails.booking_substituted(booking, new)
    return new


@transaction.atomic
def booking_move(*, booking: Booking, to_session: Session, by) -> Booking:
    """Move a booking to another session of the same course: a place there if
    one is free, else its waiting list. The old place goes to its waiting list."""
    if to_session.pk == booking.session_id:
        raise BookingStateError(_("Choose a different session to move the booking to."))
    # Lock both sessions in id order so two opposite moves cannot deadlock.
    first, second = sorted([booking.session_id, to_session.pk])
    session_lock(first)
    session_lock(second)
    booking = booking_lock(booking.pk)
    target = session_lock(to_session.pk)
    now = timezone.now()
    if not booking.is_live:
        raise BookingStateError(_("Only a live booking can be moved."))
    if target.course_id != booking.session.course_id:
        raise BookingStateError(_("A booking can only move to another session of the same course."))
    _check_bookable(target, now)
    _check_person(target, booking.user, exclude_booking_id=booking.pk)
    _check_agency_cap(target, booking.user)
    held_place = booking.holds_place
    free = places_free(target) > 0
    if not free and booking.charges.exclude(status="void").exists():
        raise BookingStateError(_("That session is full. A place that has been paid or invoiced can only move to "
                                  "a session with a free place."))
    old_status = booking.status
    status_change(booking, Booking.Status.MOVED, by=by, note=f"to session {target.pk}")
    kept = (*NEEDS_FIELDS, *PAYMENT_FIELDS, "requirements", "agency_at_booking_id")
    carried = {name: getattr(booking, name) for name in kept}
    if free and held_place:
        # The same place on another day: same status, same charges.
        new = Booking.objects.create(session=target, user=booking.user, booked_by=by, status=old_status,
                                     approver=booking.approver, hold_expires_at=booking.hold_expires_at, **carried)
        history_start(new, by=by, note=f"moved from session {booking.session_id}")
        booking.charges.update(booking=new)
    else:
        new = _place_booking(session=target, user=booking.user, booked_by=by, notify=False,
                             note=f"moved from session {booking.session_id}", **carried)
        if new.status != Booking.Status.WAITLISTED:
            place_taken(new)
    emails.booking_moved(booking, new)
    if held_place:
        waitlist_offer_next(booking.session, now=now)
    return new
