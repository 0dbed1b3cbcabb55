"""Training administrators manage charging bands (the business unit sets prices)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("payments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in ("chargingband", "bandrate") for action in ("add", "change",
                                                                                             "delete", "view")]
    administrators = Group.objects.get(name="Training administrator")
    administrators.permissions.add(*Permission.objects.filter(content_type__app_label="payments",
                                                              codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("payments", "0002_invoice_sequences"), ("accounts", "0003_sectors")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
