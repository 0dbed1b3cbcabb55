"""E-learning: the catalogue of modules (hosted here or with an external
provider), hosted modules' pages and knowledge checks, delegates' progress,
and completions, whether earned here or imported from a provider."""

import calendar
import datetime as dt
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.csvimport import CsvImport
from courses.models import CourseLevel


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter
    (29 February plus 12 months is 28 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Module(models.Model):
    """One e-learning module in the catalogue. Hosted modules are read on this
    site, page by page, and end with a knowledge check; external ones are taken
    with a provider the partnership buys licences from."""

    class Delivery(models.TextChoices):
        HOSTED = "hosted", _("On this website")
        EXTERNAL = "external", _("With an external provider")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    level = models.CharField(
        max_length=20, choices=CourseLevel.choices, blank=True,
        help_text=_("Leave blank for a topic module with no safeguarding level."),
    )
    summary = models.TextField(blank=True)
    audience = models.TextField(_("who it is for"), blank=True)
    learning_outcomes = models.TextField(blank=True, help_text=_("One learning outcome a line."))
    estimated_minutes = models.PositiveIntegerField(_("estimated time (minutes)"), null=True, blank=True)
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.HOSTED)
    provider = models.CharField(
        _("provider"), max_length=200, blank=True, help_text=_("For external modules: who provides it.")
    )
    external_url = models.URLField(_("link to the module"), blank=True)
    access_instructions = models.TextField(
        _("how to get access"), blank=True,
        help_text=_("For external modules: how to enrol and get a licence, e.g. who to ask for an access code."),
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, help_text=_("The knowledge check score needed to complete the module.")
    )
    renewal_months = models.PositiveSmallIntegerField(
        _("renew every (months)"), null=True, blank=True,
        help_text=_("Leave blank if a completion never expires. 36 means every 3 years."),
    )
    is_published = models.BooleanField(_("shown in the catalogue"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            # Imports match modules by title, ignoring case.
            models.UniqueConstraint(
                Lower("title"), name="elearning_module_title_unique_ci",
                violation_error_message=_("A module with this title already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(pass_mark_percent__gte=1, pass_mark_percent__lte=100),
                name="elearning_module_pass_mark_range",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("elearning:module_detail", args=[self.slug])

    @property
    def is_hosted(self):
        return self.delivery == self.Delivery.HOSTED

    @property
    def learning_outcome_list(self):
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]


class ModulePage(models.Model):
    """One page of a hosted module, written in Markdown by an administrator and
    shown as sanitised HTML (elearning.markdown)."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="pages")
    position = models.PositiveSmallIntegerField(_("page number"))
    title = models.CharField(max_length=200)
    body = models.TextField(_("content (Markdown)"))

    class Meta:
        ordering = ["module", "position"]
        constraints = [
            models.UniqueConstraint(fields=["module", "position"], name="elearning_page_position_unique"),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"


def _image_path(instance, filename):
    # A fresh random name: nothing of the uploaded name reaches the disk, and
    # the extension is the one of the format Pillow found, not the uploader's.
    return f"elearning/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ModuleImage(models.Model):
    """A picture for a hosted module's pages; re-encoded on upload and served
    by elearning:image with its own content type."""

    CONTENT_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp"}

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(upload_to=_image_path, max_length=200)
    alt_text = models.CharField(
        _("description (alt text)"), max_length=300,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.alt_text

    def get_absolute_url(self):
        return reverse("elearning:image", args=[self.pk])

    @property
    def content_type(self):
        return self.CONTENT_TYPES.get(Path(self.image.name).suffix.lower(), "application/octet-stream")

    @property
    def markdown(self):
        return f"![{self.alt_text}]({self.get_absolute_url()})"


class Question(models.Model):
    """A multiple-choice question of a hosted module's knowledge check: one
    correct answer among its choices."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    explanation = models.TextField(
        blank=True, help_text=_("Shown with the results: why the right answer is right.")
    )

    class Meta:
        ordering = ["module", "pk"]

    def __str__(self):
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["question", "pk"]

    def __str__(self):
        return self.text


class ModuleProgress(models.Model):
    """How far a delegate has read a hosted module, so they can stop and resume."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="progress")
    pages_read = models.PositiveSmallIntegerField(default=0, help_text=_("The last page number read."))
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "module"], name="elearning_progress_unique")]

    def __str__(self):
        return f"{self.user} – {self.module}: page {self.pages_read}"


class Attempt(models.Model):
    """One try at a knowledge check. The questions' order (and each question's
    choices' order) is shuffled when it starts and kept, so the page reads the
    same on reload; answers are kept for the results page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="elearning_attempts")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="attempts")
    # [[question id, [choice id, ...]], ...] in the order shown.
    layout = models.JSONField()
    answers = models.JSONField(default=dict, blank=True)  # {question id: choice id}
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module"], condition=models.Q(submitted_at__isnull=True),
                name="elearning_one_open_attempt",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.module} ({self.started_at:%Y-%m-%d})"


class CompletionImport(CsvImport):
    """One provider file: uploaded, checked by a task, then applied in one
    transaction (see core.csvimport for its life)."""

    completions_created = models.PositiveIntegerField(default=0)
    completions_existing = models.PositiveIntegerField(default=0)
    delegates_created = models.PositiveIntegerField(default=0)
    agencies_created = models.PositiveIntegerField(default=0)
    modules_created = models.PositiveIntegerField(default=0)

    class Meta(CsvImport.Meta):
        pass


class Completion(models.Model):
    """A delegate completed a module on a day. The delegate's job role and
    agency are kept as they were then, so reports count people where they
    worked when they trained. One completion per delegate, module and day."""

    class Source(models.TextChoices):
        HOSTED = "hosted", _("Completed on this website")
        IMPORTED = "imported", _("Imported from the provider")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="completions")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()
    source = models.CharField(max_length=20, choices=Source.choices)
    job_role = models.CharField(max_length=40, blank=True)
    job_role_text = models.CharField(
        max_length=100, blank=True, help_text=_("The role as the provider gave it, when it matched none of ours.")
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="elearning_completions"
    )
    score_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    completion_import = models.ForeignKey(
        CompletionImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="completions"
    )
    renewal_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "module", "completed_on"], name="elearning_completion_unique"),
        ]
        indexes = [models.Index(fields=["completed_on"], name="elearning_completion_on_idx")]

    def __str__(self):
        return f"{self.user} – {self.module} ({self.completed_on})"

    @property
    def expires_on(self):
        """When this completion needs renewing (None if the module never expires)."""
        months = self.module.renewal_months
        return add_months(self.completed_on, months) if months else None
