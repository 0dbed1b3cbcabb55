"""Asking delegates: opening each stage's request, the scheduled sweep that
catches up, and reminders.

When each stage opens:
* pre-course: when a place is confirmed (bookings' place_taken calls
  `evaluation_pre_course_open`; the confirmation e-mail carries the link, so
  no second e-mail). Confirmations made elsewhere (a card payment, a
  colleague's substitution) are caught by the hourly sweep.
* post-course: when the register is submitted, for those marked attended,
  arrived late or left early, never for a no-show (`evaluation_post_course_open`).
* follow-up: EVALUATION_FOLLOW_UP_WEEKS after the session, by the sweep.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from bookings.models import Booking
from certificates.models import Certificate
from courses.models import Session

from .. import emails
from ..models import EvaluationRequest, Respondent, Response, Stage
from ..permissions import answer_refusal, post_course_closes_at
from .responses import certificate_issue_if_earned

RELATED = ("session__course", "session__venue", "user__agency")
# A booking's certificate is the one issued from "booking:<id>".
_certificate_source = Concat(Value("booking:"), Cast(OuterRef("pk"), CharField()))


def _closes_at(stage: str, session: Session, now: dt.datetime) -> dt.datetime | None:
    if stage == Stage.POST:
        return post_course_closes_at(session) or now + dt.timedelta(days=settings.EVALUATION_POST_COURSE_OPEN_DAYS)
    if stage == Stage.FOLLOW_UP:
        return now + dt.timedelta(days=settings.EVALUATION_FOLLOW_UP_OPEN_DAYS)
    return None  # pre-course closes when the session starts, wherever it moves to


def _open_for(bookings: list[Booking], stage: str, *, now: dt.datetime, notify: bool) -> list[EvaluationRequest]:
    """Requests for those of `bookings` that have none for `stage` yet; the
    invitations go out through the outbox when the transaction commits.
    `bookings` come with their session, course, venue and user."""
    have = set(EvaluationRequest.objects.filter(booking__in=bookings, stage=stage).values_list("booking_id", flat=True))
    new = [
        EvaluationRequest(booking=booking, stage=stage, closes_at=_closes_at(stage, booking.session, now))
        for booking in bookings
        if booking.pk not in have
    ]
    try:
        with transaction.atomic():
            made = EvaluationRequest.objects.bulk_create(new)
    except IntegrityError:  # someone opened some of them meanwhile: open the rest one by one
        made = []
        for request in new:
            request, created = EvaluationRequest.objects.get_or_create(
                booking=request.booking, stage=stage, defaults={"closes_at": request.closes_at}
            )
            if created:
                made.append(request)
    if notify:
        for request in made:
            emails.evaluation_invitation(request)
    return made


@transaction.atomic
def evaluation_pre_course_open(*, booking: Booking, now: dt.datetime | None = None) -> EvaluationRequest | None:
    """Open the pre-course questionnaire for a place just confirmed (open until
    the session starts). The booking confirmation e-mail links to it."""
    now = now or timezone.now()
    if answer_refusal(booking=booking, stage=Stage.PRE, request=None, now=now):
        return None
    request, _created = EvaluationRequest.objects.get_or_create(booking=booking, stage=Stage.PRE)
    return request


@transaction.atomic
def evaluation_post_course_open(*, session: Session, now: dt.datetime | None = None) -> list[EvaluationRequest]:
    """Ask everyone the submitted register shows as there (attended, arrived
    late or left early) about the course; no-shows are never asked."""
    now = now or timezone.now()
    attendees = list(
        session.bookings.filter(status=Booking.Status.CONFIRMED, attendance__in=Booking.ATTENDED_VALUES).select_related(
            *RELATED
        )
    )
    return _open_for(attendees, Stage.POST, now=now, notify=True)


def evaluation_requests_open(*, now: dt.datetime | None = None) -> dict:
    """The hourly catch-up: pre-course requests for places confirmed outside
    place_taken; post-course requests for attendance amended after the
    register was submitted; follow-ups that have come due; and certificates
    earned when attendance was amended after the evaluation was submitted."""
    now = now or timezone.now()
    with transaction.atomic():
        pre = _open_for(
            list(
                Booking.objects.filter(
                    status=Booking.Status.CONFIRMED,
                    session__status=Session.Status.SCHEDULED,
                    session__start__gt=now,
                )
                .exclude(evaluation_requests__stage=Stage.PRE)
                .select_related(*RELATED)
            ),
            Stage.PRE,
            now=now,
            notify=False,
        )
    oldest_open = now - dt.timedelta(days=settings.EVALUATION_POST_COURSE_OPEN_DAYS)
    with transaction.atomic():
        post = _open_for(
            list(
                Booking.objects.filter(
                    status=Booking.Status.CONFIRMED,
                    attendance__in=Booking.ATTENDED_VALUES,
                    session__register_submitted_at__gt=oldest_open,
                )
                .exclude(evaluation_requests__stage=Stage.POST)
                .select_related(*RELATED)
            ),
            Stage.POST,
            now=now,
            notify=True,
        )
    due = now - dt.timedelta(weeks=settings.EVALUATION_FOLLOW_UP_WEEKS)
    # Sessions that came due within the last follow-up window only: when the
    # feature starts, or the setting changes, old courses are not surveyed.
    window = dt.timedelta(days=settings.EVALUATION_FOLLOW_UP_OPEN_DAYS)
    with transaction.atomic():
        follow_up = _open_for(
            list(
                Booking.objects.filter(
                    status=Booking.Status.CONFIRMED,
                    attendance__in=Booking.ATTENDED_VALUES,
                    session__end__lte=due,
                    session__end__gt=due - window,
                )
                .exclude(evaluation_requests__stage=Stage.FOLLOW_UP)
                .select_related(*RELATED)
            ),
            Stage.FOLLOW_UP,
            now=now,
            notify=True,
        )
    certificates = 0
    owed = (
        Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            attendance__in=(Booking.Attendance.ATTENDED, Booking.Attendance.ARRIVED_LATE),
            evaluation_requests__stage=Stage.POST,
            evaluation_requests__responses__respondent=Respondent.DELEGATE,
        )
        .exclude(Exists(Certificate.objects.filter(source=_certificate_source)))
        .select_related("session__course", "user")
    )
    for booking in owed:
        with transaction.atomic():
            certificates += certificate_issue_if_earned(booking=booking) is not None
    return {"pre": len(pre), "post": len(post), "follow_up": len(follow_up), "certificates": certificates}


def _reminder_due(request: EvaluationRequest, now: dt.datetime) -> bool:
    interval = dt.timedelta(days=settings.EVALUATION_REMINDER_INTERVAL_DAYS)
    due = (request.last_reminded_at or request.created_at) + interval
    if request.stage == Stage.PRE:
        # Booked months ahead, a reminder is only useful in the run-up to the day.
        due = max(due, request.booking.session.start - interval)
    return now >= due


def evaluation_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Daily: remind those who have not answered an open questionnaire, at
    most EVALUATION_REMINDER_LIMIT times, EVALUATION_REMINDER_INTERVAL_DAYS apart."""
    now = now or timezone.now()
    answered = Response.objects.filter(request=OuterRef("pk"), respondent=Respondent.DELEGATE)
    candidates = (
        EvaluationRequest.objects.filter(reminders_sent__lt=settings.EVALUATION_REMINDER_LIMIT)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .exclude(Exists(answered))
        .select_related("booking__session__course", "booking__session__venue", "booking__user__agency")
    )
    sent = 0
    for request in candidates:
        refusal = answer_refusal(booking=request.booking, stage=request.stage, request=request, now=now)
        if refusal or not _reminder_due(request, now):
            continue
        with transaction.atomic():
            # Claim the reminder first, so two workers never send the same one.
            claimed = EvaluationRequest.objects.filter(pk=request.pk, reminders_sent=request.reminders_sent).update(
                reminders_sent=request.reminders_sent + 1, last_reminded_at=now
            )
            if claimed:
                emails.evaluation_reminder(request)
                sent += 1
    return sent
