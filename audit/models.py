"""The audit log: who changed what, when, from what to what. Append-only: rows
are written once and never changed or removed (the database refuses too, see
migrations/0002_append_only.py)."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("Audit entries cannot be changed.")

    def delete(self):
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        PRICE_CHANGED = "price_changed", _("Course price changed")
        BAND_CHANGED = "band_changed", _("Charging band changed")
        BAND_RATE_CHANGED = "band_rate_changed", _("Charging band rates changed")
        BAND_ASSIGNED = "band_assigned", _("Charging band of a sector or agency changed")
        REGISTER_MARKED = "register_marked", _("Register marked")
        REGISTER_AMENDED = "register_amended", _("Submitted register amended")
        REGISTER_SUBMITTED = "register_submitted", _("Register submitted")
        WALK_IN_ADDED = "walk_in_added", _("Walk-in added to a register")
        REFUND_ISSUED = "refund_issued", _("Card payment refunded")
        FEE_WAIVED = "fee_waived", _("Fee waived")
        INVOICE_MARKED_PAID = "invoice_marked_paid", _("Invoice marked paid")
        INVOICE_CANCELLED = "invoice_cancelled", _("Invoice cancelled with a credit note")
        ROLE_GRANTED = "role_granted", _("Role granted")
        ROLE_REMOVED = "role_removed", _("Role removed")
        PERSONAL_DATA_EXPORTED = "personal_data_exported", _("Personal data exported")
        PERSON_ERASED = "person_erased", _("Person erased on request")
        RETENTION_CHANGED = "retention_changed", _("Retention period changed")
        AGENCY_CHANGED = "agency_changed", _("A person's agency changed")
        AGENCY_REQUEST_DECLINED = "agency_request_declined", _("Request to change organisation declined")
        CONTRIBUTES_CHANGED = "contributes_changed", _("Agency's contribution to the partnership changed")
        APPROVAL_DECIDED = "approval_decided", _("Booking approval decided by staff")

    at = models.DateTimeField(_("when"), db_default=Now(), db_index=True)
    # The actor's account may go; the e-mail address they had at the time stays.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    action = models.CharField(_("what"), max_length=40, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_label = models.CharField(_("record"), max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.get_action_display()}: {self.object_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field named on either side, in order."""
        before, after = self.before or {}, self.after or {}
        fields = list(dict.fromkeys([*before, *after]))
        return [(field, before.get(field), after.get(field)) for field in fields]
