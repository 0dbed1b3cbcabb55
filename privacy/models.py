from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DEFAULT_RETENTION_YEARS = 6
MIN_RETENTION_YEARS, MAX_RETENTION_YEARS = 1, 100


class RetentionPolicy(models.Model):
    """How long identifiable booking and evaluation records are kept after a
    person's last training. One row (pk 1); until an administrator saves it
    the default applies (see selectors.retention_policy)."""

    years = models.PositiveSmallIntegerField(
        _("years kept after a person's last training"),
        default=DEFAULT_RETENTION_YEARS,
        validators=[MinValueValidator(MIN_RETENTION_YEARS), MaxValueValidator(MAX_RETENTION_YEARS)],
        help_text=_("A whole number of years from 1 to 100."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="one_retention_policy"),
            models.CheckConstraint(
                condition=Q(years__gte=MIN_RETENTION_YEARS, years__lte=MAX_RETENTION_YEARS),
                name="retention_years_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.years} years"


class ErasureRecord(models.Model):
    """That a person's identifying details were removed: when, why and by whom
    (nobody, for the scheduled job). Names no one but by the user's id; its
    presence is what makes anonymisation happen once only."""

    class Reason(models.TextChoices):
        RETENTION = "retention", _("Retention period passed")
        REQUEST = "request", _("Erasure request")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="erasure_record")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    erased_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-erased_at", "-pk"]

    def __str__(self):
        return f"User {self.user_id}: {self.get_reason_display()}"
