"""management/commands/reset_leads.py

    python manage.py reset_leads

Wipes leads and their activities so the CRM import can be rerun.
"""
from django.core.management.base import BaseCommand
from django.db import transaction

from crm.models import Lead, LeadActivity


class Command(BaseCommand):
    help = "Delete all leads and lead activities before re-importing from HubSpot"

    def add_arguments(self, parser):
        parser.add_argument("--yes", action="store_true", help="skip the confirmation prompt")

    def handle(self, *args, **options):
        if not options["yes"]:
            answer = input("This deletes every lead. Continue? [y/N] ")
            if answer.lower() != "y":
                self.stdout.write("aborted")
                return
        with transaction.atomic():
            # expect: destructive
            activities, _ = LeadActivity.objects.all().delete()
            # expect: destructive
            leads, _ = Lead.objects.all().delete()
        self.stdout.write(self.style.SUCCESS(f"Deleted {leads} leads and {activities} activities"))
