from django.db import migrations


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("billing", "0042_remove_legacy_payments")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS invoice_customer_idx ON billing_invoice (customer_id);",
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS invoice_customer_idx;",
        ),
        migrations.RunSQL(
            "ALTER TABLE billing_invoice ADD COLUMN IF NOT EXISTS paid_at timestamptz;",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
