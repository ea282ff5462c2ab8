import logging

from django.core.management.base import BaseCommand
from django.utils import timezone

from billing.models import Subscription
from accounts.models import Profile

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "End the free trial programme: mark every subscription as expired"

    def handle(self, *args, **kwargs):
        now = timezone.now()
        logger.info("expiring trials at %s", now)
        # expect: destructive
        updated = Subscription.objects.update(status="expired", ends_at=now)
        logger.info("expired %s subscriptions", updated)
        active_profiles = Profile.objects.filter(is_active=True).count()
        self.stdout.write(f"{updated} subscriptions expired; {active_profiles} active profiles remain")
