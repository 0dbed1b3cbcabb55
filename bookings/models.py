from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Booking(models.Model):
    """A delegate's place, or place in the queue, on a session.

    A booking is never reassigned: substituting a colleague, moving to another
    session or cancelling ends this booking with a status, and any new place is
    a new booking. Every change is appended to BookingHistory.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        OFFERED = "offered", _("Place offered")
        PENDING_APPROVAL = "pending_approval", _("Waiting for approval")
        PAYMENT_PENDING = "payment_pending", _("Waiting for card payment")
        PAYMENT_EXPIRED = "payment_expired", _("Not paid in time")
        CANCELLED = "cancelled", _("Cancelled")
        LATE_CANCELLED = "late_cancelled", _("Cancelled late")
        DECLINED = "declined", _("Not approved")
        OFFER_DECLINED = "offer_declined", _("Offer declined")
        OFFER_EXPIRED = "offer_expired", _("Offer expired")
        LEFT_WAITING_LIST = "left_waiting_list", _("Left the waiting list")
        SUBSTITUTED = "substituted", _("Passed to a colleague")
        MOVED = "moved", _("Moved to another session")
        SESSION_CANCELLED = "session_cancelled", _("Session cancelled")

    class Attendance(models.TextChoices):
        ATTENDED = "attended", _("Attended")
        DID_NOT_ATTEND = "did_not_attend", _("Did not attend")
        LEFT_EARLY = "left_early", _("Left early")
        ARRIVED_LATE = "arrived_late", _("Arrived late")

    class Approver(models.TextChoices):
        LINE_MANAGER = "line_manager", _("Line manager")
        COORDINATOR = "coordinator", _("Agency coordinator")
        # When the agency has no coordinator and the person no usable line manager.
        STAFF = "staff", _("Training administrators")

    # Statuses that take one of the session's places.
    PLACE_STATUSES = ("confirmed", "offered", "pending_approval", "payment_pending")
    # Statuses in which a person still has something on the session.
    LIVE_STATUSES = (*PLACE_STATUSES, "waitlisted")
    # Attendance values that count as having attended (left early is shown apart).
    ATTENDED_VALUES = ("attended", "arrived_late", "left_early")

    session = models.ForeignKey("courses.Session", on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings")
    # The agency the place was booked for: the delegate's when it was made. It
    # is kept, like the price, so a later change of agency touches neither
    # the price nor who is invoiced for the place or its fees.
    agency_at_booking = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Order of arrival on the waiting list; never reused, so positions are ranks.
    queue_number = models.PositiveIntegerField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    # Within the last working day a free place is offered to the whole list at once.
    open_offer_sent_at = models.DateTimeField(null=True, blank=True)
    approver = models.CharField(max_length=20, choices=Approver.choices, blank=True)

    # Additional requirements the delegate asked for.
    needs_step_free_access = models.BooleanField(_("step-free access"), default=False)
    needs_bsl_interpreter = models.BooleanField(_("BSL interpreter"), default=False)
    needs_hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    dietary_requirements = models.CharField(_("dietary requirements"), max_length=300, blank=True)
    requirements = models.TextField(_("other requirements"), blank=True)

    # Charging (non-contributing agencies). Price and fee are fixed when the
    # booking is made; later price changes never alter existing bookings.
    price_pence = models.PositiveIntegerField(default=0)
    fee_pence = models.PositiveIntegerField(default=0)
    payment_method = models.CharField(max_length=10, blank=True)  # "card", "invoice" or "" (free)
    purchase_order = models.CharField(_("purchase order number"), max_length=100, blank=True)
    billing_contact_name = models.CharField(max_length=200, blank=True)
    billing_contact_email = models.EmailField(blank=True)
    hold_expires_at = models.DateTimeField(null=True, blank=True)

    attendance = models.CharField(max_length=20, choices=Attendance.choices, blank=True)
    is_walk_in = models.BooleanField(default=False)

    reminder_week_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_day_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(status__in=["confirmed", "offered", "pending_approval", "payment_pending", "waitlisted"]),
                name="one_live_booking_per_user_per_session",
            ),
            models.UniqueConstraint(
                fields=["session", "queue_number"],
                name="one_queue_number_per_session",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"]), models.Index(fields=["user", "status"])]

    def __str__(self):
        return f"{self.user} on {self.session} ({self.get_status_display()})"

    @property
    def holds_place(self):
        return self.status in self.PLACE_STATUSES

    @property
    def is_live(self):
        return self.status in self.LIVE_STATUSES

    @property
    def has_requirements(self):
        return bool(
            self.needs_step_free_access
            or self.needs_bsl_interpreter
            or self.needs_hearing_loop
            or self.dietary_requirements
            or self.requirements
        )


class BookingHistory(models.Model):
    """Append-only trail of a booking's status and attendance changes."""

    class Field(models.TextChoices):
        STATUS = "status", _("Status")
        ATTENDANCE = "attendance", _("Attendance")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="history")
    field = models.CharField(max_length=20, choices=Field.choices, default=Field.STATUS)
    from_value = models.CharField(max_length=20, blank=True)
    to_value = models.CharField(max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "booking history"

    def __str__(self):
        return f"{self.booking_id}: {self.field} {self.from_value or '–'} → {self.to_value}"


class NonAttendanceReason(models.Model):
    """Why a delegate did not attend, in their own words; partnerships survey this."""

    class Reason(models.TextChoices):
        ILLNESS = "illness", _("I was ill")
        WORK_PRESSURE = "work_pressure", _("Work or service pressures")
        EMERGENCY = "emergency", _("A personal or family emergency")
        FORGOT = "forgot", _("I forgot")
        NOT_RELEASED = "not_released", _("My manager could not release me")
        TRAVEL = "travel", _("Travel problems")
        NOT_RELEVANT = "not_relevant", _("The course was no longer relevant to me")
        OTHER = "other", _("Another reason")

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="non_attendance_reason")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.booking_id}: {self.get_reason_display()}"
