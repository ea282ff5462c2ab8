from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import LoginAttempt, UserToken


class Command(BaseCommand):
    help = "Log everybody out: clears sessions, API tokens and login attempts."

    def add_arguments(self, parser):
        parser.add_argument("--keep-tokens", action="store_true",
                            help="Do not revoke API tokens")

    @transaction.atomic
    def handle(self, *args, **options):
        n_sessions = Session.objects.count()
        # expect: destructive
        Session.objects.all().delete()
        self.stdout.write(f"removed {n_sessions} sessions")

        if not options["keep_tokens"]:
            # expect: destructive
            UserToken.objects.all().delete()
            self.stdout.write("revoked all API tokens")

        # expect: destructive
        LoginAttempt.objects.all().delete()
        self.stdout.write(self.style.SUCCESS("done"))
