"""manage.py expire_reservations [--dry-run] [--block-overdue-days N]

Nightly housekeeping for the lending app:
  * delete reservations that expired (only those past expires_at)
  * block members whose loans are more than N days overdue
  * flag overdue loans for the reminder mailer

It never deletes members, books or loans. For a full reset of a branch's data
(do NOT do this in prod) see docs/runbooks/branch-closure.md.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from library.models import Loan, Member, Reservation

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Delete expired reservations, block members with long-overdue loans, flag reminders."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
        parser.add_argument("--block-overdue-days", type=int, default=30)
        parser.add_argument("--block-for-days", type=int, default=14)

    def handle(self, *args, dry_run=False, block_overdue_days=30, block_for_days=14, **options):
        now = timezone.now()
        today = now.date()

        expired = Reservation.objects.filter(expires_at__lt=now)
        overdue_cutoff = today - dt.timedelta(days=block_overdue_days)
        to_block = Member.objects.filter(loans__returned_at__isnull=True, loans__due_on__lt=overdue_cutoff).distinct()
        to_remind = Loan.objects.overdue(today).filter(reminder_sent=False)

        self.stdout.write(f"expired reservations: {expired.count()}")
        self.stdout.write(f"members to block:     {to_block.count()}")
        self.stdout.write(f"reminders to flag:    {to_remind.count()}")
        if dry_run:
            self.stdout.write(self.style.WARNING("dry run, nothing changed"))
            return

        with transaction.atomic():
            deleted, _ = expired.delete()
            blocked = to_block.update(blocked_until=today + dt.timedelta(days=block_for_days))
            flagged = to_remind.update(reminder_sent=True)

        log.info("deleted %d expired reservations, blocked %d members, flagged %d loans", deleted, blocked, flagged)
        self.stdout.write(self.style.SUCCESS(f"done: {deleted} deleted, {blocked} blocked, {flagged} flagged"))
