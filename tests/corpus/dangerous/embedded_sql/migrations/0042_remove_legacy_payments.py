from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("billing", "0041_invoice_currency"),
    ]

    operations = [
        migrations.RunSQL(
            # expect: destructive
            "DROP TABLE billing_legacy_payment CASCADE;",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RemoveField(
            model_name="invoice",
            name="legacy_payment_id",
        ),
    ]
