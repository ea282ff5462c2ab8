"""Staff-only report views that use raw SQL (Django).

The ORM version of these aggregations was too slow; raw SQL with parameters.
One maintenance action: unlock a single member account.
"""
from __future__ import annotations

import datetime as dt

from django.contrib.admin.views.decorators import staff_member_required
from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST


def dictfetchall(cursor) -> list[dict]:
    columns = [col[0] for col in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


@staff_member_required
def signups_by_week(request: HttpRequest):
    weeks = int(request.GET.get("weeks", 12))
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT date_trunc('week', date_joined) AS week, count(*) AS signups,
                   count(*) FILTER (WHERE is_active) AS active
            FROM auth_user
            WHERE date_joined >= now() - (%s || ' weeks')::interval
            GROUP BY 1 ORDER BY 1
            """,
            [weeks],
        )
        rows = dictfetchall(cur)
    return render(request, "reports/signups.html", {"rows": rows, "weeks": weeks})


@staff_member_required
def deleted_accounts(request: HttpRequest):
    """Accounts soft-deleted in the last 30 days (members_member.deleted_at)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT m.id, u.email, m.deleted_at, m.deletion_reason FROM members_member m"
            " JOIN auth_user u ON u.id = m.user_id"
            " WHERE m.is_deleted AND m.deleted_at >= %s ORDER BY m.deleted_at DESC",
            [dt.datetime.now() - dt.timedelta(days=30)],
        )
        return JsonResponse({"accounts": dictfetchall(cur)}, json_dumps_params={"default": str})


@staff_member_required
@require_POST
def unlock_member(request: HttpRequest, member_id: int):
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE members_member SET locked_until = NULL, failed_logins = 0 WHERE id = %s", [member_id])
        cur.execute(
            "INSERT INTO members_auditlog (member_id, action, actor_id, created_at) VALUES (%s, 'unlock', %s, now())",
            [member_id, request.user.id],
        )
    return JsonResponse({"unlocked": member_id})


@staff_member_required
def table_sizes(request: HttpRequest):
    with connection.cursor() as cur:
        cur.execute(
            "SELECT relname AS table, pg_size_pretty(pg_total_relation_size(relid)) AS size, n_live_tup AS rows"
            " FROM pg_stat_user_tables ORDER BY pg_total_relation_size(relid) DESC LIMIT 30"
        )
        return JsonResponse({"tables": dictfetchall(cur)})
