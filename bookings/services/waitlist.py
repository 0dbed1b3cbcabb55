"""Passing freed places to the waiting list: offers, acceptance, expiry."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Session

from .. import emails
from ..exceptions import OfferError
from ..models import Booking
from ._common import (
    booking_lock,
    last_working_day_starts,
    place_grant,
    places_free,
    session_lock,
    status_change,
)


def offer_deadline(session: Session, now: dt.datetime) -> dt.datetime:
    """An offer holds a place for WAITLIST_OFFER_HOURS, or for half the time left
    before the session when that is shorter, so late offers can still pass on."""
    hold = dt.timedelta(hours=settings.WAITLIST_OFFER_HOURS)
    return min(now + hold, now + (session.start - now) / 2)


def waitlist_offer_next(session: Session, *, now: dt.datetime) -> list[Booking]:
    """Offer each free place on a locked session to the waiting list: to the
    next in the queue, or, within the last working day, to everyone at once
    (first to accept wins). The caller holds the session lock."""
    if session.is_cancelled or session.start <= now:
        return []
    free = places_free(session)
    if free <= 0:
        return []
    queue = (
        Booking.objects.filter(session=session, status=Booking.Status.WAITLISTED)
        .select_related("user", "session__course")
        .order_by("queue_number")
    )
    if now >= last_working_day_starts(session):
        told = []
        for booking in queue.filter(open_offer_sent_at__isnull=True):
            booking.open_offer_sent_at = now
            booking.save(update_fields=["open_offer_sent_at"])
            emails.waitlist_open_offer(booking)
            told.append(booking)
        return told
    offered = []
    for booking in queue[:free]:
        status_change(
            booking, Booking.Status.OFFERED, note="place freed", offer_expires_at=offer_deadline(session, now)
        )
        emails.waitlist_offer(booking)
        offered.append(booking)
    return offered


def waitlist_offer_accept(*, booking: Booking, by) -> Booking:
    """Take an offered place (or, in the last working day, a place offered to the
    whole list while one is still free)."""
    with transaction.atomic():
        booking = booking_lock(booking.pk)
        now = timezone.now()
        if booking.status == Booking.Status.OFFERED:
            if not (booking.offer_expires_at and booking.offer_expires_at <= now):
                return _take_place(booking, by=by, note="offer accepted")
            # The expiry and the offer to the next person must outlive this
            # refusal, so the error is raised only once they are committed.
            _expire(booking, now)
        elif booking.status == Booking.Status.WAITLISTED and booking.open_offer_sent_at:
            if booking.session.start <= now or places_free(booking.session) <= 0:
                raise OfferError(_("Sorry, someone else took the free place first. You are still on the waiting list."))
            return _take_place(booking, by=by, note="open offer accepted")
        else:
            raise OfferError(_("There is no open offer on this booking."))
    raise OfferError(_("Sorry, this offer expired and the place has been offered to the next person."))


@transaction.atomic
def waitlist_offer_decline(*, booking: Booking, by) -> Booking:
    booking = booking_lock(booking.pk)
    if booking.status != Booking.Status.OFFERED:
        raise OfferError(_("There is no open offer on this booking."))
    status_change(booking, Booking.Status.OFFER_DECLINED, by=by, offer_expires_at=None)
    waitlist_offer_next(booking.session, now=timezone.now())
    return booking


def _take_place(booking: Booking, *, by, note: str) -> Booking:
    """An accepted offer becomes a place on the same terms as a new booking:
    approval when required, card payment within the hold, or confirmed."""
    return place_grant(booking, by=by, note=note)


def _expire(booking: Booking, now) -> None:
    status_change(booking, Booking.Status.OFFER_EXPIRED, note="offer not answered in time")
    waitlist_offer_next(booking.session, now=now)


def waitlist_offers_expire(*, now: dt.datetime | None = None) -> int:
    """Expire unanswered offers and pass each place on. Run every few minutes."""
    now = now or timezone.now()
    expired = 0
    for booking_id in Booking.objects.filter(status=Booking.Status.OFFERED, offer_expires_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            booking = booking_lock(booking_id)
            if booking.status == Booking.Status.OFFERED and booking.offer_expires_at <= now:
                _expire(booking, now)
                expired += 1
    return expired


def waitlist_refill(*, session_id: int, now: dt.datetime | None = None) -> list[Booking]:
    """Offer any free places on a session (e.g. after its capacity was raised)."""
    with transaction.atomic():
        session = session_lock(session_id)
        return waitlist_offer_next(session, now=now or timezone.now())
