from django.core.management.base import BaseCommand
from django.utils import timezone

from billing.models import Subscription


class Command(BaseCommand):
    help = "Mark subscriptions as cancelled at the end of the migration to the new billing provider"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        qs = Subscription.objects.all()
        self.stdout.write(f"{qs.count()} subscriptions")
        if options["dry_run"]:
            return
        # expect: destructive
        n = qs.update(status="cancelled", cancelled_at=timezone.now())
        self.stdout.write(self.style.SUCCESS(f"cancelled {n}"))
