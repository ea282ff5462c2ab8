"""Views for the lending app: members browse, borrow, return and reserve."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import Book, Loan, Member, Reservation


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    books = Book.objects.select_related("branch").order_by("title")
    if q := request.GET.get("q"):
        books = books.filter(title__icontains=q) | books.filter(author__icontains=q)
    page = Paginator(books, 25).get_page(request.GET.get("page"))
    return render(request, "library/catalogue.html", {"page": page, "q": q})


@login_required
@require_POST
def borrow(request: HttpRequest, book_id: int) -> HttpResponse:
    member = get_object_or_404(Member, user=request.user)
    if not member.can_borrow():
        messages.error(request, "Your card is blocked until %s." % member.blocked_until)
        return redirect("library:catalogue")
    with transaction.atomic():
        book = get_object_or_404(Book.objects.select_for_update(), pk=book_id)
        if Loan.objects.open().filter(book=book).exists():
            messages.warning(request, "That copy is already on loan.")
            return redirect("library:catalogue")
        Loan.objects.create(book=book, member=member)
        Reservation.objects.filter(book=book, member=member).delete()
    messages.success(request, f"Borrowed {book.title}.")
    return redirect("library:my_loans")


@login_required
@require_POST
def return_book(request: HttpRequest, loan_id: int) -> HttpResponse:
    loan = get_object_or_404(Loan, pk=loan_id, member__user=request.user, returned_at__isnull=True)
    loan.mark_returned()
    messages.success(request, f"Returned {loan.book.title}. Thank you!")
    return redirect("library:my_loans")


@login_required
def my_loans(request: HttpRequest) -> HttpResponse:
    member = get_object_or_404(Member, user=request.user)
    loans = Loan.objects.for_member(member).select_related("book").order_by("-borrowed_at")[:100]
    return render(request, "library/my_loans.html", {"loans": loans, "today": dt.date.today()})


@login_required
@require_POST
def cancel_reservation(request: HttpRequest, reservation_id: int) -> HttpResponse:
    """Delete one of the member's own reservations."""
    reservation = get_object_or_404(Reservation, pk=reservation_id, member__user=request.user)
    reservation.delete()
    messages.info(request, "Reservation cancelled.")
    return redirect("library:my_loans")


@permission_required("library.change_book")
@require_POST
def withdraw_book(request: HttpRequest, book_id: int) -> HttpResponse:
    """Staff: withdraw a damaged copy. This is a soft delete; nothing is removed from the database."""
    book = get_object_or_404(Book, pk=book_id)
    if Loan.objects.open().filter(book=book).exists():
        messages.error(request, "Cannot withdraw a copy that is on loan.")
    else:
        book.soft_delete()
        messages.success(request, f"{book} withdrawn.")
    return redirect("library:catalogue")


@permission_required("library.view_loan")
def overdue_report(request: HttpRequest) -> JsonResponse:
    overdue = (Loan.objects.overdue().select_related("book", "member__user")
               .values("id", "book__title", "member__card_number", "due_on"))
    return JsonResponse({"generated_at": timezone.now().isoformat(), "overdue": list(overdue)})
