from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("billing", "0030_invoice_v2_backfill"),
    ]

    operations = [
        migrations.RunSQL(
            sql="ALTER TABLE billing_invoice_v2 ADD COLUMN IF NOT EXISTS legacy_id integer;",
            reverse_sql=migrations.RunSQL.noop,
        ),
        # expect: destructive
        migrations.RunSQL(
            sql="DROP TABLE billing_invoice;",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
