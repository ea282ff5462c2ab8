from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("billing", "0031_invoice_status_index")]

    operations = [
        migrations.AddField(
            model_name="invoice",
            name="due_date",
            field=models.DateField(null=True, blank=True),
        ),
        migrations.RunSQL(
            sql="CREATE INDEX CONCURRENTLY IF NOT EXISTS invoice_due_date_idx ON billing_invoice (due_date);",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            sql="UPDATE billing_invoice SET due_date = issued_at + interval '30 days' WHERE due_date IS NULL;",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
    atomic = False
