import base64
import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .attachments import attachment_render
from .jobs import retry_countdown, task_enqueue
from .models import Heartbeat, JobRun, OutboundEmail

logger = logging.getLogger(__name__)

# A claim on an e-mail lapses after this long, so a worker that died mid-send
# does not keep it unsent for ever.
CLAIM_TIMEOUT = dt.timedelta(minutes=10)


def email_enqueue(
    *, subject, body, to, cc=(), html_body="", attachment=None, attachment_source: str = ""
) -> OutboundEmail:
    """Record an e-mail in the caller's transaction and send it once that commits.

    `attachment` is (filename, content as str or bytes, mimetype); it is kept
    base64-encoded so PDFs survive the text column. `attachment_source` instead
    names a document drawn when the e-mail is sent (core.attachments)."""
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
        attachment_source=attachment_source,
    )
    transaction.on_commit(lambda: _dispatch(email.pk))
    return email


def _dispatch(email_id):
    from .tasks import email_deliver

    # Should the broker be down, the outbox sweep sends it later.
    task_enqueue(email_deliver, email_id)


def email_deliver_now(*, email_id: int) -> bool:
    """Send one recorded e-mail unless it was sent, reported failed, is not yet
    due for its next attempt, or another worker holds it. Returns whether this
    call sent it. A refusal by the mail server is recorded with the time of the
    next attempt (back-off with jitter), which the outbox sweep queues; the
    EMAIL_MAX_ATTEMPTS-th refusal reports the e-mail failed (logged, and listed
    for the training team)."""
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT),
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=email_id,
        sent_at__isnull=True,
        failed_at__isnull=True,
    ).update(claimed_at=now, last_attempt_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(subject=email.subject, body=email.body, to=email.to, cc=email.cc)
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    if email.attachment_name:
        message.attach(email.attachment_name, base64.b64decode(email.attachment_content), email.attachment_mimetype)
    try:
        # A document that cannot be drawn is retried and reported like a refusal,
        # so it ends on the failed e-mails page rather than only in a log.
        if email.attachment_source:
            message.attach(*attachment_render(email.attachment_source))
        message.send()
    except Exception as error:
        attempts = email.attempts
        gave_up = attempts >= settings.EMAIL_MAX_ATTEMPTS
        retry_at = None if gave_up else timezone.now() + dt.timedelta(seconds=retry_countdown(attempts - 1))
        OutboundEmail.objects.filter(pk=email_id).update(
            claimed_at=None,
            last_error=str(error)[:2000],
            failed_at=timezone.now() if gave_up else None,
            next_attempt_at=retry_at,
        )
        # The id, never the message: bodies carry personal details.
        if gave_up:
            logger.error("E-mail %s failed after %s attempts and will not be retried: %s", email_id, attempts, error)
        else:
            logger.warning("E-mail %s not sent (attempt %s), next try from %s: %s", email_id, attempts, retry_at, error)
        return False
    OutboundEmail.objects.filter(pk=email_id).update(sent_at=timezone.now())
    return True


def email_outbox_unsent(
    *, now: dt.datetime | None = None, older_than: dt.timedelta = dt.timedelta(minutes=2)
) -> list[int]:
    """E-mails to queue now, unsent and not reported failed: never tried though
    written more than `older_than` ago (the broker was down when it was
    queued), due for the attempt their last refusal scheduled, or held by a
    claim that lapsed (their worker died mid-send)."""
    now = now or timezone.now()
    never_tried = Q(last_attempt_at__isnull=True, created_at__lt=now - older_than)
    retry_due = Q(claimed_at__isnull=True, next_attempt_at__lte=now)
    claim_lapsed = Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    due = OutboundEmail.objects.filter(never_tried | retry_due | claim_lapsed)
    return list(due.filter(sent_at__isnull=True, failed_at__isnull=True).values_list("pk", flat=True)[:500])


def job_run_claim(*, key: str) -> bool:
    """Claim a scheduled job's once-only key (e.g. "undersubscription-alert:2026-03-02")
    inside the caller's transaction. False when a run already claimed it, so a
    job that runs twice acts once."""
    _run, created = JobRun.objects.get_or_create(key=key)
    return created


def heartbeat_record(*, name: str) -> None:
    """Note that `name` (e.g. Heartbeat.JOBS) was seen working just now."""
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})
