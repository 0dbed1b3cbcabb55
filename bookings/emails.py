"""The e-mails bookings send. Each is a template under templates/bookings/email/
whose first line is the subject; all go through the outbox (core.services)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from core.services import email_enqueue
from courses.ical import sessions_to_ical

from . import tokens
from .selectors import approval_reason


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(kind: str, *, to, context: dict, cc=(), attachment=None):
    to = [address for address in to if address]
    if not to:
        return
    text = render_to_string(f"bookings/email/{kind}.txt", {"PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME, **context})
    subject, _, body = text.strip().partition("\n")
    email_enqueue(subject=subject.strip(), body=body.strip() + "\n", to=to, cc=cc, attachment=attachment)


def _booking_context(booking, **extra):
    from .services._common import cancellation_cutoff

    return {
        "booking": booking,
        "cutoff": cancellation_cutoff(booking.session),
        "session": booking.session,
        "course": booking.session.course,
        "user": booking.user,
        "booking_url": absolute(reverse("bookings:detail", args=[booking.pk])),
        **extra,
    }


def booking_confirmed(booking):
    ics = sessions_to_ical(
        [booking.session], name=booking.session.course.title, base_url=settings.SITE_URL.rstrip("/")
    ).decode()
    pre_course = absolute(reverse("evaluations:respond", args=[booking.pk, "pre-course"]))
    _send(
        "confirmed",
        to=[booking.user.email],
        context=_booking_context(booking, pre_course_url=pre_course),
        attachment=("session.ics", ics, "text/calendar"),
    )


def booking_waitlisted(booking, position):
    _send("waitlisted", to=[booking.user.email], context=_booking_context(booking, position=position))


def booking_awaiting_approval(booking, approver_emails):
    """Tell the delegate, and ask the approvers. Each line manager or
    coordinator gets a link of their own that names their address; the
    training administrators decide on the booking page, signed in."""
    context = _booking_context(booking, approval_reason=approval_reason(booking))
    _send("awaiting_approval", to=[booking.user.email], context=context)
    if booking.approver == booking.Approver.STAFF:
        _send("approval_request_staff", to=approver_emails, context=context)
        return
    for address in approver_emails:
        link = absolute(reverse("bookings:approval", args=[tokens.approval_make(booking.pk, address)]))
        _send("approval_request", to=[address], context={**context, "approval_url": link})


def booking_declined(booking):
    _send("declined", to=[booking.user.email], context=_booking_context(booking))


def booking_cancelled(booking):
    _send("cancelled", to=[booking.user.email], context=_booking_context(booking))


def waitlist_offer(booking):
    _send("offer", to=[booking.user.email], context=_booking_context(booking))


def waitlist_open_offer(booking):
    _send("open_offer", to=[booking.user.email], context=_booking_context(booking))


def session_cancelled(booking):
    _send("session_cancelled", to=[booking.user.email], context=_booking_context(booking))


def booking_substituted(old, new):
    _send("substituted", to=[old.user.email], context=_booking_context(old, colleague=new.user))
    booking_confirmed(new)


def booking_moved(old, new):
    _send("moved", to=[new.user.email], context=_booking_context(new, old_session=old.session))


def reminder(booking, *, days):
    link = absolute(reverse("bookings:release", args=[tokens.make(booking.pk, tokens.RELEASE_SALT)]))
    _send("reminder", to=[booking.user.email], context=_booking_context(booking, days=days, release_url=link))


def did_not_attend(booking):
    link = absolute(reverse("bookings:non_attendance", args=[booking.pk]))
    cc = [booking.user.line_manager_email] if settings.DNA_COPY_LINE_MANAGER else []
    _send("did_not_attend", to=[booking.user.email], cc=cc, context=_booking_context(booking, reason_url=link))


def undersubscribed(sessions, administrator_emails):
    rows = [{"session": s, "url": absolute(reverse("courses:staff_session_update", args=[s.pk]))} for s in sessions]
    _send("undersubscribed", to=administrator_emails, context={"rows": rows})


def booking_payment_due(booking):
    link = absolute(reverse("payments:pay", args=[booking.pk]))
    _send("payment_due", to=[booking.user.email], context=_booking_context(booking, pay_url=link))


def booking_payment_expired(booking):
    _send("payment_expired", to=[booking.user.email], context=_booking_context(booking))
