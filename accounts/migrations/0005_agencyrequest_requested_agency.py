import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_agency_charging_band_sector_default_band"),
    ]

    operations = [
        migrations.AddField(
            model_name="agencyrequest",
            name="requested_agency",
            field=models.ForeignKey(
                blank=True,
                help_text="The listed agency the person asked to move to; empty if their organisation is not listed.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.agency",
                verbose_name="agency asked for",
            ),
        ),
    ]
