"""Renewal reminders for modules that must be taken again (e.g. every 3 years)."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .. import emails
from ..models import Completion, Module, add_months


def renewal_reminders_send(*, today: dt.date | None = None) -> int:
    """E-mail each delegate once whose latest completion of a module expires in
    the next ELEARNING_RENEWAL_REMINDER_DAYS days. A flag set in the same
    transaction as the e-mail is written means a re-run never reminds twice;
    completions that expired before today are history, not news."""
    today = today or timezone.localdate()
    last_day = today + dt.timedelta(days=settings.ELEARNING_RENEWAL_REMINDER_DAYS)
    now = timezone.now()
    sent = 0
    for module in Module.objects.filter(renewal_months__isnull=False, renewal_months__gt=0):
        months = module.renewal_months
        newer = Completion.objects.filter(
            user=OuterRef("user"), module=module, completed_on__gt=OuterRef("completed_on")
        )
        # Month ends make add_months uneven; a day either side, then the exact test.
        due = (
            Completion.objects.filter(
                module=module,
                renewal_reminder_sent_at__isnull=True,
                user__is_active=True,
                completed_on__gte=add_months(today, -months) - dt.timedelta(days=1),
                completed_on__lte=add_months(last_day, -months) + dt.timedelta(days=1),
            )
            .exclude(Exists(newer))
            .select_related("user", "module")
        )
        for completion in due:
            if not today <= completion.expires_on <= last_day:
                continue
            with transaction.atomic():
                claimed = Completion.objects.filter(pk=completion.pk, renewal_reminder_sent_at__isnull=True).update(
                    renewal_reminder_sent_at=now
                )
                if claimed:
                    emails.renewal_due(completion)
                    sent += 1
    return sent
