from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Priority(models.Model):
    """One of the partnership's priorities (Neglect; Domestic abuse; ...)."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return self.name


class CourseFormat(models.TextChoices):
    # The values are the stable names that imports and training_report use.
    BRIEFING = "briefing", _("Lunchtime briefing")
    HALF_DAY = "half_day", _("Half day")
    FULL_DAY = "full_day", _("Full day")
    TWILIGHT = "twilight", _("Twilight")
    CONFERENCE = "conference", _("Conference")


class CourseLevel(models.TextChoices):
    LEVEL_1 = "level_1", _("Level 1 – awareness, for everyone")
    LEVEL_2 = "level_2", _("Level 2 – regular contact with children and families")
    LEVEL_3 = "level_3", _("Level 3 – specialist and multi-agency practice")
    LEADERS = "leaders", _("Designated leads and managers")


class Course(models.Model):
    """What is taught. A course runs as one or more dated sessions."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    format = models.CharField(max_length=20, choices=CourseFormat.choices)
    level = models.CharField(max_length=20, choices=CourseLevel.choices)
    summary = models.TextField()
    learning_outcomes = models.TextField(help_text=_("One learning outcome a line. Evaluations ask about each one."))
    audience = models.TextField(_("who it is for"))
    provider = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "Leave blank when the partnership runs the course; otherwise the "
            "partner agency or charity that delivers it."
        ),
    )
    priorities = models.ManyToManyField(Priority, blank=True, related_name="courses")
    is_published = models.BooleanField(_("published on the calendar"), default=True)
    class Charging(models.TextChoices):
        BAND = "band", _("Charge by the agency's band")
        FREE = "free", _("Free for everyone")
        FIXED = "fixed", _("A price of its own for chargeable agencies")

    charging = models.CharField(max_length=10, choices=Charging.choices, default=Charging.BAND)
    fixed_price_pence = models.PositiveIntegerField(
        _("own price per place (pence)"), null=True, blank=True,
        help_text=_("Used when the course has a price of its own."),
    )
    requires_manager_approval = models.BooleanField(
        _("line manager must approve bookings"),
        default=False,
        help_text=_("The place is held while the delegate's line manager decides."),
    )
    agency_cap = models.PositiveIntegerField(
        _("most places one agency may hold on a session"),
        null=True,
        blank=True,
        help_text=_("Leave blank for no limit. Keeps a multi-agency course multi-agency."),
    )

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("courses:course_detail", args=[self.slug])

    @property
    def learning_outcome_list(self):
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    @property
    def provider_name(self):
        return self.provider or settings.PARTNERSHIP_NAME


class Venue(models.Model):
    """A room in a partner building where sessions are held."""

    name = models.CharField(max_length=200, unique=True)
    address = models.TextField()
    postcode = models.CharField(max_length=10)
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    accessibility_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Trainer(models.Model):
    """Someone who delivers sessions. Linked to a user account when they mark
    registers and see their evaluation results."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainer_profile",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Session(models.Model):
    """One dated delivery of a course, with a number of places."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    start = models.DateTimeField()
    end = models.DateTimeField()
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions")
    online_url = models.URLField(
        _("online joining link"),
        blank=True,
        help_text=_("For sessions held online; shown to booked delegates only."),
    )
    capacity = models.PositiveIntegerField(_("places"))
    minimum_numbers = models.PositiveIntegerField(
        default=0, help_text=_("Fewer confirmed bookings than this means the session is under-subscribed.")
    )
    trainers = models.ManyToManyField(Trainer, blank=True, related_name="sessions")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    booking_closes_at = models.DateTimeField(
        _("bookings close"),
        null=True,
        blank=True,
        help_text=_("Leave blank to take bookings until the session starts."),
    )
    register_submitted_at = models.DateTimeField(null=True, blank=True)
    register_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["start"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_has_places"),
            models.CheckConstraint(
                condition=Q(minimum_numbers__lte=F("capacity")),
                name="session_minimum_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(venue__isnull=False) | ~Q(online_url=""),
                name="session_has_venue_or_online_link",
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.course.title}, {local:%-d %B %Y}"

    @property
    def is_online(self):
        return self.venue_id is None

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def places_left(self):
        """Needs the `places_taken` annotation of the calendar selectors."""
        return max(self.capacity - self.places_taken, 0)

    @property
    def register_is_submitted(self):
        return self.register_submitted_at is not None


class CourseView(models.Model):
    """One viewer of a course page on one day. The annual report quotes how many
    individuals viewed each course, so views are counted once a viewer a day."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="views")
    viewer_key = models.CharField(max_length=64)
    viewed_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "viewer_key", "viewed_on"], name="one_view_per_viewer_per_day"),
        ]
        indexes = [models.Index(fields=["course", "viewed_on"])]

    def __str__(self):
        return f"{self.course_id} viewed {self.viewed_on}"
