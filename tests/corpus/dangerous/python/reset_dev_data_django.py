"""Reset the dev database content and load fresh demo fixtures.

    python manage.py shell < scripts/reset_dev_data.py
"""
from django.core.management import call_command
from django.db import transaction

from billing.models import Invoice, Payment
from crm.models import Contact, Customer

with transaction.atomic():
    # expect: destructive
    Payment.objects.all().delete()
    # expect: destructive
    Invoice.objects.all().delete()
    Contact.objects.filter(customer__isnull=True).delete()
    # expect: destructive
    Customer.objects.all().delete()

call_command("loaddata", "demo_customers.json", "demo_invoices.json")
print("dev data reset")
