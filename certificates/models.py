from django.conf import settings
from django.db import models
from django.urls import reverse


class Certificate(models.Model):
    """A certificate of attendance or completion, with a code anyone can check
    at /certificates/<code>/. Classroom courses (evaluations) and e-learning
    both issue them; `source` names what earned it, so each is issued once."""

    class Kind(models.TextChoices):
        COURSE = "course", "Course attendance"
        ELEARNING = "elearning", "E-learning completion"

    code = models.CharField(max_length=20, unique=True)
    source = models.CharField(max_length=60, unique=True, help_text="e.g. booking:123 or completion:45")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    holder_name = models.CharField(max_length=300)
    title = models.CharField(max_length=300)
    awarded_on = models.DateField()
    duration = models.CharField(max_length=100, blank=True)
    learning_outcomes = models.TextField(blank=True)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-awarded_on", "-pk"]

    def __str__(self):
        return f"{self.code}: {self.title} ({self.holder_name})"

    def get_absolute_url(self):
        return reverse("certificates:verify", args=[self.code])
