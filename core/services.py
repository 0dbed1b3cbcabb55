import base64
import datetime as dt
import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import OutboundEmail

logger = logging.getLogger(__name__)

# A claim on an e-mail lapses after this long, so a worker that died mid-send
# does not keep it unsent for ever.
CLAIM_TIMEOUT = dt.timedelta(minutes=10)


def email_enqueue(*, subject, body, to, cc=(), html_body="", attachment=None) -> OutboundEmail:
    """Record an e-mail in the caller's transaction and send it once that commits.

    `attachment` is (filename, content as str or bytes, mimetype); it is kept
    base64-encoded so PDFs survive the text column."""
    name, content, mimetype = attachment or ("", "", "")
    if isinstance(content, str):
        content = content.encode()
    content = base64.b64encode(content).decode("ascii") if content else ""
    email = OutboundEmail.objects.create(
        to=list(to),
        cc=list(cc),
        subject=subject,
        body=body,
        html_body=html_body or "",
        attachment_name=name,
        attachment_content=content,
        attachment_mimetype=mimetype,
    )
    transaction.on_commit(lambda: _dispatch(email.pk))
    return email


def _dispatch(email_id):
    from .tasks import email_deliver

    try:
        email_deliver.delay(email_id)
    except Exception:  # the broker is down: the outbox sweep sends it later
        logger.exception("Could not queue e-mail %s; the outbox sweep will retry", email_id)


def email_deliver_now(*, email_id: int) -> bool:
    """Send one recorded e-mail unless it was sent or another worker holds it.
    Returns whether this call sent it. Raises the mail server's error (after
    recording it) so the task can retry."""
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT),
        pk=email_id,
        sent_at__isnull=True,
    ).update(claimed_at=now)
    if not claimed:
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(subject=email.subject, body=email.body, to=email.to, cc=email.cc)
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    if email.attachment_name:
        message.attach(email.attachment_name, base64.b64decode(email.attachment_content), email.attachment_mimetype)
    try:
        message.send()
    except Exception as error:
        OutboundEmail.objects.filter(pk=email_id).update(
            claimed_at=None, attempts=email.attempts + 1, last_error=str(error)[:2000]
        )
        raise
    OutboundEmail.objects.filter(pk=email_id).update(sent_at=timezone.now(), attempts=email.attempts + 1)
    return True


def email_outbox_unsent(*, older_than: dt.timedelta = dt.timedelta(minutes=2)) -> list[int]:
    return list(
        OutboundEmail.objects.filter(sent_at__isnull=True, created_at__lt=timezone.now() - older_than).values_list(
            "pk", flat=True
        )[:500]
    )
