"""manage.py archive_orders: flag old fulfilled orders as archived and drop abandoned drafts."""
from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from shop.models import Order, OrderDraft


class Command(BaseCommand):
    help = "Archive fulfilled orders older than N days and delete abandoned drafts"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, days: int, dry_run: bool, **options):
        cutoff = timezone.now() - timedelta(days=days)
        old = Order.objects.filter(status="fulfilled", fulfilled_at__lt=cutoff, archived=False)
        drafts = OrderDraft.objects.filter(updated_at__lt=timezone.now() - timedelta(days=14))
        self.stdout.write(f"{old.count()} orders to archive, {drafts.count()} drafts to delete")
        if dry_run:
            return
        with transaction.atomic():
            archived = old.update(archived=True, archived_at=timezone.now())
            deleted, _ = drafts.delete()
        self.stdout.write(self.style.SUCCESS(f"archived {archived}, deleted {deleted} drafts"))
