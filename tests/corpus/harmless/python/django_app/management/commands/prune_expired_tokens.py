from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import PasswordResetToken, UserToken


class Command(BaseCommand):
    help = "Delete expired password-reset tokens and API tokens unused for 180 days"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=180)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **opts):
        now = timezone.now()
        expired = PasswordResetToken.objects.filter(expires_at__lt=now)
        unused = UserToken.objects.filter(last_used_at__lt=now - timedelta(days=opts["days"]))
        self.stdout.write(f"{expired.count()} expired reset tokens, {unused.count()} unused API tokens")
        if opts["dry_run"]:
            return
        n1, _ = expired.delete()
        n2, _ = unused.delete()
        self.stdout.write(self.style.SUCCESS(f"deleted {n1 + n2} tokens"))
