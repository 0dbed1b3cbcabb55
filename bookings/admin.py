from django.contrib import admin

from core.admin import ReadOnlyModelAdmin

from .models import Booking, BookingHistory, NonAttendanceReason


class BookingHistoryInline(admin.TabularInline):
    """Read-only: the history is append-only and written by the services."""

    model = BookingHistory
    extra = 0
    can_delete = False
    readonly_fields = ["field", "from_value", "to_value", "by", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(ReadOnlyModelAdmin):
    """For looking things up. Changes go through the staff pages, which use the
    booking services (capacity, waiting list, history); so nothing is editable here."""

    list_display = ["user", "session", "status", "attendance", "created_at"]
    list_filter = ["status", "attendance"]
    search_fields = ["user__email", "user__last_name", "session__course__title"]
    list_select_related = ["user", "session__course"]
    inlines = [BookingHistoryInline]


@admin.register(NonAttendanceReason)
class NonAttendanceReasonAdmin(ReadOnlyModelAdmin):
    """A delegate's own account of a missed session, kept with the booking's history."""

    list_display = ["booking", "reason", "submitted_at"]
    list_filter = ["reason"]
