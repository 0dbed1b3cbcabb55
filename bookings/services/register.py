"""The register: marking attendance, walk-ins, submitting, amending, and what
follows a "did not attend"."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEntry
from audit.services import audit_changes, audit_record
from courses.models import Session
from evaluations.services import evaluation_post_course_open
from payments.models import Charge
from payments.services import fee_charge

from .. import emails
from ..exceptions import RegisterError
from ..models import Booking, BookingHistory, NonAttendanceReason
from ._common import history_start, places_free, session_lock, status_change


def _attendance_label(value: str) -> str:
    return str(Booking.Attendance(value).label) if value else _("Not marked")


def _register_key(booking: Booking) -> str:
    """How the audit log names a line of the register: by booking number, not
    by name, as the log is kept for good and never anonymised."""
    return _("Booking %(pk)s") % {"pk": booking.pk}


def _check_can_edit(session: Session, by) -> None:
    if session.is_cancelled:
        raise RegisterError(_("This session was cancelled, so it has no register."))
    if session.start > timezone.now():
        raise RegisterError(_("The register opens when the session starts."))
    if session.register_is_submitted and not permissions.can_manage_programme(by):
        raise RegisterError(_("The register has been submitted. Ask the training team to amend it."))


@transaction.atomic
def register_mark(*, session: Session, marks: dict[int, str], by) -> int:
    """Record attendance for bookings on the register ({booking id: attendance}).
    Every change is kept in the booking's history. After submission only an
    administrator may amend, and a new "did not attend" is followed up."""
    session = session_lock(session.pk)
    _check_can_edit(session, by)
    valid = set(Booking.Attendance.values)
    bookings = {
        b.pk: b
        for b in session.bookings.filter(status=Booking.Status.CONFIRMED, pk__in=marks).select_related(
            "user", "session__course"
        )
    }
    changed = 0
    before, after = {}, {}
    for booking_id, attendance in marks.items():
        booking = bookings.get(booking_id)
        if booking is None or attendance not in valid or booking.attendance == attendance:
            continue
        before[_register_key(booking)] = _attendance_label(booking.attendance)
        after[_register_key(booking)] = _attendance_label(attendance)
        BookingHistory.objects.create(
            booking=booking,
            field=BookingHistory.Field.ATTENDANCE,
            from_value=booking.attendance,
            to_value=attendance,
            by=by,
            note="amended after submission" if session.register_is_submitted else "",
        )
        booking.attendance = attendance
        booking.save(update_fields=["attendance"])
        changed += 1
        if session.register_is_submitted and attendance == Booking.Attendance.DID_NOT_ATTEND:
            _non_attendance_follow_up(booking)
    action = AuditEntry.Action.REGISTER_AMENDED if session.register_is_submitted else AuditEntry.Action.REGISTER_MARKED
    audit_changes(actor=by, action=action, target=session, before=before, after=after)
    return changed


@transaction.atomic
def register_submit(*, session: Session, by) -> Session:
    """Lock the register once every delegate is marked, ask each one who did
    not attend why, and ask everyone who came to evaluate the course."""
    session = session_lock(session.pk)
    _check_can_edit(session, by)
    if session.register_is_submitted:
        raise RegisterError(_("The register has already been submitted."))
    unmarked = session.bookings.filter(status=Booking.Status.CONFIRMED, attendance="").count()
    if unmarked:
        raise RegisterError(_("Mark every delegate before submitting: %(n)s not marked yet.") % {"n": unmarked})
    session.register_submitted_at = timezone.now()
    session.register_submitted_by = by
    session.save(update_fields=["register_submitted_at", "register_submitted_by"])
    audit_record(
        actor=by, action=AuditEntry.Action.REGISTER_SUBMITTED, target=session,
        before={_("Register"): _("Open")}, after={_("Register"): _("Submitted")},
    )
    for booking in session.bookings.filter(
        status=Booking.Status.CONFIRMED, attendance=Booking.Attendance.DID_NOT_ATTEND
    ).select_related("user", "session__course", "session__venue"):
        _non_attendance_follow_up(booking)
    evaluation_post_course_open(session=session)
    return session


def _non_attendance_follow_up(booking: Booking) -> None:
    """Ask why, and raise the no-show fee where the booking's band sets one."""
    emails.did_not_attend(booking)
    fee_charge(booking=booking, kind=Charge.Kind.NO_SHOW)


@transaction.atomic
def register_walk_in_add(
    *, session: Session, by, email: str, first_name: str, last_name: str, agency=None, job_role: str = ""
) -> Booking:
    """Add someone who came without booking, marked attended. Unknown people get
    an account record (no password) so their training counts; they can claim it
    by resetting the password. Walk-ins take places: a full session takes none."""
    session = session_lock(session.pk)
    _check_can_edit(session, by)
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create(
            email=email, first_name=first_name.strip(), last_name=last_name.strip(), agency=agency, job_role=job_role
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=Role.DELEGATE))
    existing = session.bookings.filter(user=user, status__in=Booking.LIVE_STATUSES).first()
    if existing and existing.status == Booking.Status.CONFIRMED:
        raise RegisterError(_("%(name)s is already on the register.") % {"name": user})
    if places_free(session) <= 0 and not (existing and existing.holds_place):
        raise RegisterError(
            _(
                "Every place is taken, so the register cannot take another walk-in. "
                "Ask the training team to raise the number of places."
            )
        )
    if existing:  # on the waiting list or holding an offer: they came, so they have the place
        before = existing.get_status_display()
        status_change(
            existing, Booking.Status.CONFIRMED, by=by, note="walk-in",
            attendance=Booking.Attendance.ATTENDED, is_walk_in=True,
        )
        _walk_in_record(existing, by, before=before)
        return existing
    booking = Booking.objects.create(
        session=session,
        user=user,
        agency_at_booking_id=user.agency_id,
        booked_by=by,
        status=Booking.Status.CONFIRMED,
        attendance=Booking.Attendance.ATTENDED,
        is_walk_in=True,
    )
    history_start(booking, by=by, note="walk-in")
    _walk_in_record(booking, by, before=None)
    return booking


def _walk_in_record(booking: Booking, by, *, before: str | None) -> None:
    audit_record(
        actor=by, action=AuditEntry.Action.WALK_IN_ADDED, target=booking.session,
        before={_register_key(booking): before}, after={_register_key(booking): _attendance_label(booking.attendance)},
    )


@transaction.atomic
def non_attendance_reason_submit(*, booking: Booking, reason: str, details: str = "") -> NonAttendanceReason:
    """The delegate's own account of why they did not attend (one per booking;
    a second answer replaces the first)."""
    if booking.attendance != Booking.Attendance.DID_NOT_ATTEND:
        raise RegisterError(_("This booking is not recorded as a non-attendance."))
    answer, _created = NonAttendanceReason.objects.update_or_create(
        booking=booking, defaults={"reason": reason, "details": details.strip()}
    )
    return answer
