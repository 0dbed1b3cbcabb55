from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyModelAdmin

from .models import Agency, AgencyRequest, Sector, User
from .services import POWER_FLAGS, user_power_flags_record, user_roles_set


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "agency", "job_role", "is_active"]
    list_filter = ["groups", "is_active", "agency__sector"]
    search_fields = ["email", "first_name", "last_name"]
    # A person's agency decides what they pay and, for a coordinator, whose
    # records they see: it changes only by a request the training team decides.
    readonly_fields = ["agency"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Person"),
            {"fields": ["first_name", "last_name", "job_role", "agency", "line_manager_name", "line_manager_email"]},
        ),
        (_("Roles and permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "first_name", "last_name", "password1", "password2"]})
    ]

    def save_model(self, request, obj, form, change):
        """Staff and superuser status are powers beyond any role: audited too."""
        stored = User.objects.filter(pk=obj.pk).values(*POWER_FLAGS).first() if change else None
        super().save_model(request, obj, form, change)
        if stored is not None:
            user_power_flags_record(user=obj, before=stored, by=request.user)

    def save_related(self, request, form, formsets, change):
        """Roles are set through the service, so each change is audited."""
        groups = form.cleaned_data.pop("groups", None)
        super().save_related(request, form, formsets, change)
        if groups is not None:
            user_roles_set(user=form.instance, groups=groups, by=request.user)


# Charging bands, an agency's contribution and request decisions are changed
# only in the staff area, which writes the audit log and applies the rules (the
# requester joins the agency).


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["default_band"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "contributes", "is_active"]
    list_filter = ["sector", "contributes", "is_active"]
    search_fields = ["name"]
    readonly_fields = ["contributes", "charging_band"]


@admin.register(AgencyRequest)
class AgencyRequestAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "sector", "user", "status", "created_at"]
    list_filter = ["status"]
