from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from shop.models import Coupon, Order


def expire_coupons():
    now = timezone.now()
    return Coupon.objects.filter(valid_until__lt=now, active=True).update(active=False)


def bump_retry_counters(order_ids):
    return Order.objects.filter(pk__in=order_ids).update(retries=F("retries") + 1)


def archive_old_orders():
    cutoff = timezone.now() - timedelta(days=365 * 3)
    return Order.objects.filter(created_at__lt=cutoff, archived=False).update(archived=True)
