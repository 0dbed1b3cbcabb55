from django.contrib import admin

from core.admin import ReadOnlyModelAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    """Read-only: the log is written by the services and by nobody else."""

    list_display = ["at", "actor_label", "action", "object_label"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_label"]
    date_hierarchy = "at"
