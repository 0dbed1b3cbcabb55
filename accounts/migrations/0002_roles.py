"""Create the site's roles as groups with their permissions.

Model permissions are normally made after all migrations run (post_migrate);
they are made here first so the groups can be given them on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODEL_ADMIN = ["add", "change", "delete", "view"]

ROLE_PERMISSIONS = {
    "Delegate": [("accounts", "user", "book_places")],
    "Agency coordinator": [("accounts", "user", "book_places"), ("accounts", "user", "coordinate_agency")],
    "Trainer": [("accounts", "user", "deliver_training")],
    "Training administrator": [
        ("accounts", "user", "manage_programme"),
        ("accounts", "user", "view_uptake_reports"),
        ("accounts", "user", "view_user"),
        *[("accounts", model, f"{action}_{model}") for model in ("agency", "agencyrequest", "sector")
          for action in MODEL_ADMIN],
        *[("courses", model, f"{action}_{model}")
          for model in ("course", "session", "venue", "trainer", "priority") for action in MODEL_ADMIN],
        ("bookings", "booking", "view_booking"),
    ],
    "PPT reviewer": [("accounts", "user", "view_uptake_reports")],
    "Finance": [("accounts", "user", "view_finance")],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = [
            Permission.objects.get(content_type__app_label=app, content_type__model=model, codename=codename)
            for app, model, codename in codes
        ]
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("courses", "0001_initial"),
        ("bookings", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
