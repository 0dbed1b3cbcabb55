from django.contrib import admin

from .models import Course, Priority, Session, Trainer, Venue


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "format", "level", "provider", "is_published"]
    list_filter = ["format", "level", "is_published", "priorities"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["priorities"]


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
class SessionAdmin(admin.ModelAdmin):
    list_display = ["course", "start", "venue", "capacity", "status"]
    list_filter = ["status", "course__format", "venue"]
    date_hierarchy = "start"
    autocomplete_fields = ["course", "venue"]
    filter_horizontal = ["trainers"]
    list_select_related = ["course", "venue"]
