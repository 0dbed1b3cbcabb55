from django.db import migrations


def add_sequences(apps, schema_editor):
    # Created up front so concurrent first invoices lock an existing row.
    InvoiceSequence = apps.get_model("payments", "InvoiceSequence")
    for name in ("invoice", "credit_note"):
        InvoiceSequence.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunPython(add_sequences, migrations.RunPython.noop)]
