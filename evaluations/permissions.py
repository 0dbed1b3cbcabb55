"""Who may see and do what with evaluations, and when a delegate may answer.
Pure functions over users, bookings and times."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import permissions
from bookings.models import Booking
from bookings.permissions import is_trainer_of

from .models import Stage

# Attended, or arrived late, earns a certificate; leaving early does not.
CERTIFICATE_ATTENDANCE = (Booking.Attendance.ATTENDED, Booking.Attendance.ARRIVED_LATE)


def can_edit_evaluation_templates(user) -> bool:
    return permissions.can_manage_programme(user)


def can_view_evaluation_reports(user) -> bool:
    """Every session's results, and the course and programme reports:
    training administrators and the PPT subgroup."""
    return permissions.can_view_uptake_reports(user)


def can_view_session_results(user, session) -> bool:
    """A trainer sees the results of the sessions they delivered. Needs
    `session.trainers` (prefetched)."""
    return can_view_evaluation_reports(user) or (
        permissions.can_deliver_training(user) and is_trainer_of(user, session)
    )


def can_list_session_results(user) -> bool:
    return can_view_evaluation_reports(user) or permissions.can_deliver_training(user)


def can_publish_quotes(user) -> bool:
    """Quotes go into the annual report: the business unit chooses them."""
    return permissions.can_manage_programme(user)


def earns_certificate(booking) -> bool:
    return booking.status == Booking.Status.CONFIRMED and booking.attendance in CERTIFICATE_ATTENDANCE


def post_course_closes_at(session) -> dt.datetime | None:
    if session.register_submitted_at is None:
        return None
    return session.register_submitted_at + dt.timedelta(days=settings.EVALUATION_POST_COURSE_OPEN_DAYS)


def closes_at(booking, stage, request) -> dt.datetime | None:
    """When this stage stops taking answers (None: not open yet, or never)."""
    if stage == Stage.PRE:
        return booking.session.start
    if request is not None and request.closes_at is not None:
        return request.closes_at
    if stage == Stage.POST:
        return post_course_closes_at(booking.session)
    return None


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def answer_refusal(*, booking, stage, request, now) -> str | None:
    """Why the delegate cannot answer this stage of this booking's evaluation
    now, in words to show them; None when they can."""
    session = booking.session
    if stage == Stage.PRE:
        if booking.status != Booking.Status.CONFIRMED:
            return _("You do not have a confirmed place on this session, so there is no pre-course evaluation.")
        if session.start <= now:
            return _(
                "The pre-course evaluation closed when the session started on %(day)s. "
                "You will be asked about the course after it, once the register is submitted."
            ) % {"day": _day(session.start)}
        return None
    if stage == Stage.POST:
        if session.register_submitted_at is None:
            return _("The post-course evaluation opens once the trainer has submitted the register for the session.")
        if booking.status != Booking.Status.CONFIRMED or booking.attendance not in Booking.ATTENDED_VALUES:
            return _(
                "The register does not show you as attending this session, so there is no post-course "
                "evaluation for it. If the register is wrong, contact the training team."
            )
    elif request is None:
        return _(
            "The follow-up evaluation is sent %(weeks)s weeks after the course. We will e-mail you when it opens."
        ) % {"weeks": settings.EVALUATION_FOLLOW_UP_WEEKS}
    deadline = closes_at(booking, stage, request)
    if deadline is not None and deadline <= now:
        return _(
            "This evaluation closed on %(day)s, so it can no longer be answered. If you need a certificate "
            "for the course, contact the training team."
        ) % {"day": _day(deadline)}
    return None


def line_manager_refusal(*, request, has_delegate_response, has_manager_response, now) -> str | None:
    """Why a line manager's link cannot take their view now; None when it can."""
    if not has_delegate_response or request.line_manager_invited_at is None:
        return _("This link is not valid.")
    if has_manager_response:
        return _("Thank you: your view has already been recorded. Nothing more is needed.")
    if request.line_manager_closes_at and request.line_manager_closes_at <= now:
        return _("This link expired on %(day)s, so it can no longer be used.") % {
            "day": _day(request.line_manager_closes_at)
        }
    return None
