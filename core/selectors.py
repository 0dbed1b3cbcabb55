from django.db.models import QuerySet

from .models import OutboundEmail


def emails_failed() -> QuerySet[OutboundEmail]:
    """E-mails the mail server refused until the outbox gave up, latest first:
    the training team follows each up by other means."""
    return OutboundEmail.objects.filter(failed_at__isnull=False).order_by("-failed_at", "-pk")
