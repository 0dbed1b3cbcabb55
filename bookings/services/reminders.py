"""Scheduled messages: reminders before a session and the under-subscription alert."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.services import job_run_claim
from courses.models import Session

from .. import emails
from ..models import Booking
from ..selectors import programme_administrator_emails, sessions_undersubscribed


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind confirmed delegates 7 days and 1 day before. A flag on the booking,
    set in the same transaction as the e-mail is written, means a re-run never
    reminds twice."""
    now = now or timezone.now()
    sent = 0
    base = Booking.objects.filter(
        status=Booking.Status.CONFIRMED, session__status=Session.Status.SCHEDULED, session__start__gt=now
    )
    rounds = [
        (
            1,
            "reminder_day_sent_at",
            base.filter(session__start__lte=now + dt.timedelta(days=1), reminder_day_sent_at__isnull=True),
        ),
        (
            7,
            "reminder_week_sent_at",
            base.filter(
                session__start__gt=now + dt.timedelta(days=1),
                session__start__lte=now + dt.timedelta(days=7),
                reminder_week_sent_at__isnull=True,
            ),
        ),
    ]
    for days, flag, bookings in rounds:
        for booking in bookings.select_related("user", "session__course", "session__venue"):
            with transaction.atomic():
                claimed = Booking.objects.filter(pk=booking.pk, **{f"{flag}__isnull": True}).update(**{flag: now})
                if claimed:
                    emails.reminder(booking, days=days)
                    sent += 1
    return sent


def undersubscription_alert_send(*, now: dt.datetime | None = None) -> int:
    """E-mail the training administrators the sessions starting soon with fewer
    places taken than their minimum numbers, once a day: a second run on the
    same day (a re-delivered task) sends nothing."""
    now = now or timezone.now()
    sessions = list(sessions_undersubscribed(now=now, days=settings.UNDERSUBSCRIPTION_WINDOW_DAYS))
    if not sessions:
        return 0
    with transaction.atomic():
        if not job_run_claim(key=f"undersubscription-alert:{timezone.localdate(now).isoformat()}"):
            return 0
        emails.undersubscribed(sessions, programme_administrator_emails())
    return len(sessions)
