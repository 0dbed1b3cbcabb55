from django.contrib import admin

from core.admin import ReadOnlyModelAdmin

from .models import Course, Priority, Session, Trainer, Venue


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    """A course's price is set on the staff area's course page, which writes the
    audit log; here it is shown, not changed."""

    list_display = ["title", "format", "level", "provider", "is_published"]
    list_filter = ["format", "level", "is_published", "priorities"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["priorities"]
    readonly_fields = ["charging", "fixed_price_pence"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "postcode", "step_free_access"]
    search_fields = ["name"]


@admin.register(Trainer)
class TrainerAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "email", "user"]
    search_fields = ["name"]
    autocomplete_fields = ["user"]


@admin.register(Session)
class SessionAdmin(ReadOnlyModelAdmin):
    """For looking things up. Sessions are added, changed and cancelled on the
    staff pages, whose services tell the people booked, refund them, offer new
    places to the waiting list and write the audit log; so nothing is editable here."""

    list_display = ["course", "start", "venue", "capacity", "status"]
    list_filter = ["status", "course__format", "venue"]
    date_hierarchy = "start"
    list_select_related = ["course", "venue"]
