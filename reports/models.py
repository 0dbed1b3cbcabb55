import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.csvimport import CsvImport


class HistoryImport(CsvImport):
    """A spreadsheet of past years' sessions and bookings: uploaded, checked
    by a task, then applied in one transaction (see core.csvimport for its
    life)."""

    courses_created = models.PositiveIntegerField(default=0)
    venues_created = models.PositiveIntegerField(default=0)
    sessions_created = models.PositiveIntegerField(default=0)
    agencies_created = models.PositiveIntegerField(default=0)
    delegates_created = models.PositiveIntegerField(default=0)
    bookings_created = models.PositiveIntegerField(default=0)

    class Meta(CsvImport.Meta):
        pass


def _report_file_path(run, filename):
    # An unguessable name: the files are served only through a permission
    # check, but nothing about them should be guessable either.
    return f"reports/{run.period_start:%Y%m%d}-{run.period_end:%Y%m%d}-{secrets.token_hex(8)}.pdf"


class ReportRun(models.Model):
    """One generation of the annual Training Summary PDF: asked for on the
    reports pages, made by a Celery task that records its progress here, and
    offered for download (to those who may see uptake reports) when done."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    period_start = models.DateField()
    period_end = models.DateField()
    course_ids = models.JSONField(default=list, blank=True, help_text=_("The courses that get a page of their own."))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Per cent done."))
    stage = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=_report_file_path, blank=True, max_length=200)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the scheduled job queued the run again because no worker had
    # started it (its task was lost, say, to a broker outage); once only.
    queued_again_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_run_progress_percent"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="report_run_period_in_order"
            ),
        ]

    def __str__(self):
        return f"Training summary {self.period_start:%-d %b %Y} to {self.period_end:%-d %b %Y}"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def download_name(self):
        return f"training-summary-{self.period_start:%Y-%m-%d}-to-{self.period_end:%Y-%m-%d}.pdf"
