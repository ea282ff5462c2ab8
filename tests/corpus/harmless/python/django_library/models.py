"""Models for the branch-library lending app."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

LOAN_DAYS = 21


class ActiveManager(models.Manager):
    """Hides soft-deleted rows (is_deleted=True) from the default queryset."""

    def get_queryset(self):
        return super().get_queryset().filter(is_deleted=False)


class Branch(models.Model):
    name = models.CharField(max_length=120, unique=True)
    city = models.CharField(max_length=80)
    opened_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Book(models.Model):
    isbn = models.CharField(max_length=13, db_index=True)
    title = models.CharField(max_length=300)
    author = models.CharField(max_length=200)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="books")
    is_deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ActiveManager()
    all_objects = models.Manager()

    class Meta:
        indexes = [models.Index(fields=["branch", "title"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.isbn})"

    def soft_delete(self) -> None:
        """Mark the copy as withdrawn; loans keep pointing at it for history."""
        self.is_deleted = True
        self.deleted_at = timezone.now()
        self.save(update_fields=["is_deleted", "deleted_at"])


class Member(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    card_number = models.CharField(max_length=20, unique=True)
    home_branch = models.ForeignKey(Branch, on_delete=models.SET_NULL, null=True)
    blocked_until = models.DateField(null=True, blank=True)

    def can_borrow(self) -> bool:
        return not self.blocked_until or self.blocked_until < dt.date.today()


class LoanQuerySet(models.QuerySet):
    def open(self):
        return self.filter(returned_at__isnull=True)

    def overdue(self, today: dt.date | None = None):
        today = today or dt.date.today()
        return self.open().filter(due_on__lt=today)

    def for_member(self, member: Member):
        return self.filter(member=member)


class Loan(models.Model):
    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="loans")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="loans")
    borrowed_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField()
    returned_at = models.DateTimeField(null=True, blank=True)
    reminder_sent = models.BooleanField(default=False)

    objects = LoanQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["book"], condition=Q(returned_at__isnull=True), name="one_open_loan_per_book"),
        ]

    def save(self, *args, **kwargs):
        if not self.due_on:
            self.due_on = (self.borrowed_at or timezone.now()).date() + dt.timedelta(days=LOAN_DAYS)
        super().save(*args, **kwargs)

    def mark_returned(self) -> None:
        self.returned_at = timezone.now()
        self.save(update_fields=["returned_at"])


class Reservation(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="reservations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
