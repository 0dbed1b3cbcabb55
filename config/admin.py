"""The Django admin is for superusers' inspection. The training team works in
the staff area, whose pages go through the services (e-mails, refunds, the
audit log); Django's staff flag alone opens nothing here."""

from django.contrib import admin


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
