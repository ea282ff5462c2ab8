"""Management command: deactivate users who have not logged in for 2 years.

    python manage.py deactivate_stale_users [--apply]
"""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "Deactivate (not delete) users inactive for two years"

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true")

    def handle(self, *args, **options):
        User = get_user_model()
        cutoff = timezone.now() - timedelta(days=730)
        stale = User.objects.filter(is_active=True, is_staff=False, last_login__lt=cutoff)
        self.stdout.write(f"{stale.count()} users would be deactivated")
        if options["apply"]:
            updated = stale.update(is_active=False)
            self.stdout.write(self.style.SUCCESS(f"deactivated {updated} users"))
