import datetime as dt

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import User
from accounts.selectors import user_email_addresses
from core.http import not_found_for
from courses.models import Session
from courses.selectors import places_taken_annotation

from .models import Booking


def waitlist_position(booking: Booking) -> int | None:
    """1 for the next in the queue. Positions are ranks of arrival, so they stay
    1..n with no gaps as people leave."""
    if booking.status != Booking.Status.WAITLISTED:
        return None
    return Booking.objects.filter(
        session_id=booking.session_id, status=Booking.Status.WAITLISTED, queue_number__lte=booking.queue_number
    ).count()


def dna_count(user, *, now: dt.datetime | None = None) -> int:
    """Non-attendances in the last 12 months (rolling)."""
    since = (now or timezone.now()) - dt.timedelta(days=365)
    return Booking.objects.filter(
        user=user, attendance=Booking.Attendance.DID_NOT_ATTEND, session__start__gte=since
    ).count()


def dna_policy_applies(user) -> bool:
    """After DNA_POLICY_THRESHOLD non-attendances in 12 months, new bookings need
    the agency coordinator's approval."""
    threshold = settings.DNA_POLICY_THRESHOLD
    return bool(threshold) and dna_count(user) >= threshold


def _users_with_perm(codename: str) -> QuerySet[User]:
    perm = Permission.objects.get(content_type__app_label="accounts", codename=codename)
    return User.objects.filter(
        Q(groups__permissions=perm) | Q(user_permissions=perm) | Q(is_superuser=True), is_active=True
    ).distinct()


def approver_emails(approver: str, user) -> list[str]:
    """Whom to ask to approve this person's place, for each kind of approver:
    their line manager, their agency's coordinators or the training
    administrators; never an address of the person's own account, so nobody is
    asked to approve their own place (issue 12, item 9)."""
    if approver == Booking.Approver.LINE_MANAGER:
        addresses = [user.line_manager_email]
    elif approver == Booking.Approver.COORDINATOR and user.agency_id:
        coordinators = _users_with_perm("coordinate_agency").filter(agency_id=user.agency_id)
        addresses = list(coordinators.values_list("email", flat=True))
    elif approver == Booking.Approver.STAFF:
        addresses = programme_administrator_emails()
    else:
        addresses = []
    own = user_email_addresses(user)
    return [address for address in addresses if address and address.lower() not in own]


def approvers_for(booking: Booking) -> list[str]:
    return approver_emails(booking.approver, booking.user)


def approval_reason(booking: Booking) -> str:
    """Why a place waits for approval, in words for the delegate, the approver
    and staff alike. A held place is held for one of two reasons, the course's
    own first (services._common.approver_needed)."""
    if booking.session.course.requires_manager_approval:
        return _("This course needs a line manager's approval before a place is confirmed.")
    return _(
        "Under the partnership's non-attendance policy, once someone has missed %(n)s booked sessions "
        "in 12 months without cancelling, their new places need approval."
    ) % {"n": settings.DNA_POLICY_THRESHOLD}


def programme_administrator_emails() -> list[str]:
    return list(_users_with_perm("manage_programme").filter(is_superuser=False).values_list("email", flat=True))


def _booking_rows() -> QuerySet[Booking]:
    return Booking.objects.select_related("session__course", "session__venue", "user__agency")


def waitlist_position_annotation():
    """Each waiting-list booking's position, as a subquery (one query for a list)."""
    ahead = (
        Booking.objects.filter(
            session=OuterRef("session"), status=Booking.Status.WAITLISTED, queue_number__lte=OuterRef("queue_number")
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(ahead, output_field=IntegerField())


def bookings_for_user(user) -> dict[str, list[Booking]]:
    """ "My bookings": upcoming places and queue positions, and past bookings
    with their attendance."""
    now = timezone.now()
    rows = _booking_rows().filter(user=user).annotate(position=waitlist_position_annotation())
    upcoming, past = [], []
    for booking in rows.order_by("session__start", "pk"):
        (upcoming if booking.session.end >= now else past).append(booking)
    past.reverse()
    return {"upcoming": upcoming, "past": past}


def booking_for_user(user, pk: int) -> Booking:
    """A booking its delegate, their agency coordinator or the training team may
    see. Missing and not-yours both answer 404."""
    try:
        booking = _booking_rows().get(pk=pk)
    except (Booking.DoesNotExist, ValueError):
        raise Http404("No such booking") from None
    if (
        booking.user_id == user.pk
        or permissions.can_manage_programme(user)
        or permissions.can_coordinate_agency(user, booking.user.agency)
    ):
        return booking
    raise not_found_for(user, "booking", booking.pk)


def agency_bookings(agency) -> QuerySet[Booking]:
    return _booking_rows().filter(user__agency=agency).order_by("-session__start", "user__last_name")


def sessions_undersubscribed(*, now: dt.datetime | None = None, days: int = 14) -> QuerySet[Session]:
    now = now or timezone.now()
    return (
        Session.objects.filter(status=Session.Status.SCHEDULED, start__gt=now, start__lte=now + dt.timedelta(days=days))
        .select_related("course", "venue")
        .annotate(places_taken=places_taken_annotation())
        .filter(places_taken__lt=F("minimum_numbers"))
        .order_by("start")
    )


def register_rows(session: Session) -> QuerySet[Booking]:
    """Everyone with a place on a session, with agency and role, in name order."""
    return (
        session.bookings.filter(status=Booking.Status.CONFIRMED)
        .select_related("user__agency")
        .order_by("user__last_name", "user__first_name")
    )


def agency_dna_counts(agency) -> list[dict]:
    """Each of the agency's staff with non-attendances in the last 12 months."""
    since = timezone.now() - dt.timedelta(days=365)
    return list(
        User.objects.filter(agency=agency)
        .annotate(
            dnas=Count(
                "bookings",
                filter=Q(bookings__attendance=Booking.Attendance.DID_NOT_ATTEND, bookings__session__start__gte=since),
            )
        )
        .filter(dnas__gt=0)
        .order_by("-dnas", "last_name")
        .values("first_name", "last_name", "email", "dnas")
    )


def sessions_for_trainer(user) -> dict[str, list[Session]]:
    now = timezone.now()
    sessions = (
        Session.objects.filter(trainers__user=user)
        .select_related("course", "venue")
        .annotate(places_taken=places_taken_annotation())
        .order_by("start")
        .distinct()
    )
    upcoming, past = [], []
    for session in sessions:
        (upcoming if session.end >= now else past).append(session)
    past.reverse()
    return {"upcoming": upcoming, "past": past}


def move_targets(booking: Booking) -> QuerySet[Session]:
    return (
        Session.objects.filter(
            course_id=booking.session.course_id, status=Session.Status.SCHEDULED, start__gt=timezone.now()
        )
        .exclude(pk=booking.session_id)
        .select_related("course", "venue")
        .order_by("start")
    )


def session_booking_rows(session: Session) -> QuerySet[Booking]:
    return (
        session.bookings.select_related("user__agency")
        .annotate(position=waitlist_position_annotation())
        .order_by("status", "queue_number", "created_at")
    )
