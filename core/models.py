from django.db import models


class OutboundEmail(models.Model):
    """An e-mail written in the same transaction as the change it reports (a
    transactional outbox). A Celery task sends it after commit; a scheduled
    sweep re-sends any that a broker or mail-server outage left unsent, so a
    booking is never kept without its e-mail, nor an e-mail sent for a change
    that was rolled back."""

    to = models.JSONField()
    cc = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_content = models.TextField(blank=True)
    attachment_mimetype = models.CharField(max_length=100, blank=True)
    # Or, for a document drawn when the e-mail is sent, where it comes from
    # ("invoice:42", see core/attachments.py).
    attachment_source = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # After a refusal, when to try again. The outbox sweep (beat) queues it
    # then: the wait lives here, not as a countdown message held by the worker,
    # so it survives a worker or broker restart.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Set when the mail server refused it EMAIL_MAX_ATTEMPTS times: the
    # training team sees it on the failed e-mails page, and nothing re-sends it.
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"


class JobRun(models.Model):
    """A scheduled job that must act at most once per key (e.g. once a day):
    its row is written in the same transaction as what the job does, so a
    re-delivered or overlapping run finds the key taken and does nothing."""

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key


class Heartbeat(models.Model):
    """When a part of the system that runs on its own last showed it works.
    JOBS is written by a task that beat schedules every minute, so a recent one
    means beat, the broker and a worker all run; /health/jobs/ reports it."""

    JOBS = "jobs"

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} seen {self.seen_at:%Y-%m-%d %H:%M:%S}"
