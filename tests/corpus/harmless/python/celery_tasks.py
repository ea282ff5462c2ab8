"""Celery tasks for the notifications service.

Beat schedule (celeryconfig.py):
    purge_read_notifications  daily 03:00  - deletes READ notifications older than 90 days
    expire_push_tokens        daily 03:30  - marks push tokens unused for 180 days as expired
    rebuild_unread_counters   hourly       - recomputes unread counters for active users
"""
from __future__ import annotations

import datetime as dt
import logging

from celery import Celery, shared_task
from celery.utils.log import get_task_logger
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from notifications.models import Notification, PushToken, UnreadCounter

app = Celery("notifications")
app.config_from_object("django.conf:settings", namespace="CELERY")
log = get_task_logger(__name__)

BATCH = 5_000
READ_RETENTION = dt.timedelta(days=90)
TOKEN_IDLE = dt.timedelta(days=180)


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def purge_read_notifications(self) -> int:
    """Delete read notifications older than the retention window, in batches."""
    cutoff = timezone.now() - READ_RETENTION
    total = 0
    while True:
        ids = list(Notification.objects.filter(read_at__isnull=False, read_at__lt=cutoff)
                   .values_list("id", flat=True)[:BATCH])
        if not ids:
            break
        with transaction.atomic():
            deleted, _ = Notification.objects.filter(id__in=ids).delete()
        total += deleted
        log.info("purged %d read notifications (total %d)", deleted, total)
    return total


@shared_task
def expire_push_tokens() -> int:
    cutoff = timezone.now() - TOKEN_IDLE
    updated = PushToken.objects.filter(last_used_at__lt=cutoff, expired=False).update(expired=True)
    log.info("expired %d push tokens", updated)
    return updated


@shared_task
def rebuild_unread_counters() -> int:
    since = timezone.now() - dt.timedelta(days=30)
    counts = (Notification.objects.filter(created_at__gte=since)
              .values("user_id").annotate(unread=Count("id", filter=Q(read_at__isnull=True))))
    n = 0
    for row in counts.iterator():
        UnreadCounter.objects.update_or_create(user_id=row["user_id"], defaults={"unread": row["unread"]})
        n += 1
    return n


@shared_task(bind=True, max_retries=3)
def mark_all_read(self, user_id: int) -> int:
    """User clicked "mark all as read": update only that user's notifications."""
    updated = Notification.objects.filter(user_id=user_id, read_at__isnull=True).update(read_at=timezone.now())
    UnreadCounter.objects.filter(user_id=user_id).update(unread=0)
    return updated


@shared_task
def delete_notification(notification_id: int, user_id: int) -> bool:
    """Delete ONE notification the user dismissed."""
    deleted, _ = Notification.objects.filter(id=notification_id, user_id=user_id).delete()
    return deleted == 1


app.conf.beat_schedule = {
    "purge-read-notifications": {"task": "notifications.tasks.purge_read_notifications", "schedule": 86400},
    "expire-push-tokens": {"task": "notifications.tasks.expire_push_tokens", "schedule": 86400},
    "rebuild-unread-counters": {"task": "notifications.tasks.rebuild_unread_counters", "schedule": 3600},
}
