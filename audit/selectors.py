import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEntry


def audit_entries(
    *, action: str = "", actor: str = "", start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[AuditEntry]:
    """The log, newest first, narrowed by action, the actor's e-mail address
    (any part of it) and the days (both included, in local time) it happened on."""
    entries = AuditEntry.objects.all()
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_label__icontains=actor.strip())
    if start:
        entries = entries.filter(at__gte=_local_midnight(start))
    if end:
        entries = entries.filter(at__lt=_local_midnight(end + dt.timedelta(days=1)))
    return entries.order_by("-at", "-pk")


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
