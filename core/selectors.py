import datetime as dt

from django.db.models import QuerySet

from .models import Heartbeat, OutboundEmail


def emails_failed() -> QuerySet[OutboundEmail]:
    """E-mails the mail server refused until the outbox gave up, latest first:
    the training team follows each up by other means."""
    return OutboundEmail.objects.filter(failed_at__isnull=False).order_by("-failed_at", "-pk")


def heartbeat_seen_at(*, name: str) -> dt.datetime | None:
    """When `name` was last seen working, or None if never."""
    return Heartbeat.objects.filter(name=name).values_list("seen_at", flat=True).first()
