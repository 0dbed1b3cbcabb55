from django.contrib import admin

from .models import OutboundEmail


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """An admin for looking records up: what a service or the audit log owns
    (a lifecycle, a ledger) is changed only through the staff area's pages."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "sent_at", "failed_at", "attempts"]
    list_filter = ["sent_at", "failed_at"]
    search_fields = ["subject"]
    readonly_fields = [field.name for field in OutboundEmail._meta.fields]

    def has_add_permission(self, request):
        return False
