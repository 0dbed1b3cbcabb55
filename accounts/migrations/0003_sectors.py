"""The partnership's sectors. Their slugs are a stable interface: the history
and e-learning imports name sectors by them."""

from django.db import migrations

SECTORS = [
    ("children_social_care", "Children's social care"),
    ("police", "Police"),
    ("health", "Health"),
    ("education", "Education"),
    ("early_years", "Early years and childcare"),
    ("voluntary_community", "Voluntary and community"),
    ("faith", "Faith"),
    ("probation_youth_justice", "Probation and youth justice"),
    ("housing", "Housing"),
    ("adult_social_care", "Adult social care"),
    ("other", "Other"),
]


def add_sectors(apps, schema_editor):
    Sector = apps.get_model("accounts", "Sector")
    for slug, name in SECTORS:
        Sector.objects.update_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]

    operations = [migrations.RunPython(add_sectors, migrations.RunPython.noop)]
