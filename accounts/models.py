from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Sector(models.Model):
    """A kind of agency (police, health, early years ...). Reports group by it;
    imports name it by its slug."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    default_band = models.ForeignKey(
        "payments.ChargingBand", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text=_("The charging band of this sector's non-contributing agencies, unless an agency has its own."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Agency(models.Model):
    """An organisation whose staff attend the programme."""

    name = models.CharField(max_length=200)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="agencies")
    contributes = models.BooleanField(
        _("contributes to the partnership budget"),
        default=False,
        help_text=_("Contributing partners fund the partnership; others may be charged."),
    )
    is_active = models.BooleanField(_("shown in the agency list"), default=True)
    charging_band = models.ForeignKey(
        "payments.ChargingBand", on_delete=models.SET_NULL, null=True, blank=True, related_name="agencies",
        help_text=_("Leave blank to use the sector's band (contributing agencies are free)."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="agency_name_unique_ci",
                violation_error_message=_("An agency with this name is already listed."),
            ),
        ]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class JobRole(models.TextChoices):
    """The roles the annual report counts delegates by."""

    SOCIAL_WORKER = "social_worker", _("Social worker")
    FAMILY_SUPPORT = "family_support", _("Family support or early help worker")
    POLICE_OFFICER = "police_officer", _("Police officer or staff")
    NURSE = "nurse", _("Nurse, health visitor or midwife")
    DOCTOR = "doctor", _("GP or doctor")
    HEALTH_OTHER = "health_other", _("Other health professional")
    TEACHER = "teacher", _("Teacher or teaching assistant")
    DSL = "designated_safeguarding_lead", _("Designated safeguarding lead")
    EARLY_YEARS = "early_years_practitioner", _("Early years practitioner or childminder")
    YOUTH_WORKER = "youth_worker", _("Youth worker")
    HOUSING_OFFICER = "housing_officer", _("Housing officer")
    PROBATION_OFFICER = "probation_officer", _("Probation or youth justice officer")
    MANAGER = "manager", _("Manager or team leader")
    ADMINISTRATOR = "administrator", _("Administrator or support staff")
    VOLUNTEER = "volunteer", _("Volunteer")
    FAITH_LEADER = "faith_leader", _("Faith leader")
    OTHER = "other", _("Other")


class User(AbstractUser):
    """A person who uses the site: a delegate, and possibly also staff of the
    business unit, a trainer or an agency coordinator (roles are groups)."""

    username = None
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("email address"), unique=True)
    job_role = models.CharField(_("job role"), max_length=40, choices=JobRole.choices, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    line_manager_name = models.CharField(_("line manager's name"), max_length=200, blank=True)
    line_manager_email = models.EmailField(_("line manager's email address"), blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        permissions = [
            ("book_places", "Can book places on sessions"),
            ("coordinate_agency", "Can book for and see their own agency's staff"),
            ("deliver_training", "Can see own sessions and mark their registers"),
            ("manage_programme", "Can run the training programme (staff area)"),
            ("view_uptake_reports", "Can see uptake and evaluation reports"),
            ("view_finance", "Can see charges, invoices and income"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email


class AgencyRequest(models.Model):
    """A person's request to change organisation, which a training
    administrator approves or declines; until then their agency stays as it was.
    Either to an agency already listed (`requested_agency`), or to one "not
    listed", which is approved by creating or matching an agency. `name` and
    `sector` say what was asked for in both cases (for a listed agency, as it
    was called then)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="agency_requests")
    name = models.CharField(_("organisation name"), max_length=200)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+")
    requested_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency asked for"),
        help_text=_("The listed agency the person asked to move to; empty if their organisation is not listed."),
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The agency the request was approved as."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="one_pending_agency_request_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    @property
    def is_unlisted(self) -> bool:
        """An organisation not on the list, rather than a move to a listed agency."""
        return self.requested_agency_id is None
