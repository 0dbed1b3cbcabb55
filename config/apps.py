from django.contrib.admin.apps import AdminConfig


class SuperuserAdminConfig(AdminConfig):
    """django.contrib.admin with config.admin's site as `admin.site`."""

    default_site = "config.admin.SuperuserAdminSite"
