from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import Invite


class Command(BaseCommand):
    help = "Delete invitations that expired more than 30 days ago"

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(days=30)
        deleted, _ = Invite.objects.filter(expires_at__lt=cutoff, accepted_at__isnull=True).delete()
        Invite.objects.filter(pk__in=[]).update(reminded=True)
        self.stdout.write(self.style.SUCCESS(f"deleted {deleted} invites"))
