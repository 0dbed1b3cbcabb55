"""The e-mails evaluations send. Each is a template under
templates/evaluations/email/ whose first line is the subject; all go through
the outbox (core.services), so they leave only if the change that caused them
commits."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from core.services import email_enqueue

from . import tokens
from .models import STAGE_SLUGS


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def respond_url(booking_id: int, stage: str) -> str:
    return absolute(reverse("evaluations:respond", args=[booking_id, STAGE_SLUGS[stage]]))


def _send(kind: str, *, to, context: dict):
    to = [address for address in to if address]
    if not to:
        return
    text = render_to_string(f"evaluations/email/{kind}.txt", {"PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME, **context})
    subject, _, body = text.strip().partition("\n")
    email_enqueue(subject=subject.strip(), body=body.strip() + "\n", to=to)


def _context(request, **extra):
    booking = request.booking
    return {
        "request": request,
        "booking": booking,
        "session": booking.session,
        "course": booking.session.course,
        "user": booking.user,
        "respond_url": respond_url(booking.pk, request.stage),
        "mine_url": absolute(reverse("evaluations:mine")),
        **extra,
    }


def evaluation_invitation(request):
    """The post-course or follow-up questionnaire is open (the pre-course one
    is offered in the booking confirmation)."""
    _send(f"invitation_{request.stage}", to=[request.booking.user.email], context=_context(request))


def evaluation_reminder(request):
    _send("reminder", to=[request.booking.user.email], context=_context(request))


def line_manager_invitation(request):
    link = absolute(reverse("evaluations:line_manager", args=[tokens.make(request.pk)]))
    _send("line_manager", to=[request.line_manager_email], context=_context(request, line_manager_url=link))
