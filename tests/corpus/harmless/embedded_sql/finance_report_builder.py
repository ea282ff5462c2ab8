"""Monthly finance report builder (SQLAlchemy Core + pandas -> Excel).

All queries are SELECTs with bound parameters. Columns named deleted_at /
is_deleted exist on most tables; soft-deleted rows are excluded.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine, text

log = logging.getLogger("finance_report")

QUERIES = {
    "revenue_by_product": """
        SELECT p.family, p.name, sum(l.qty) AS units, sum(l.qty * l.unit_price) AS revenue
        FROM invoice_lines l
        JOIN invoices i ON i.id = l.invoice_id
        JOIN products p ON p.id = l.product_id
        WHERE i.issued_on >= :start AND i.issued_on < :end
          AND i.status <> 'void' AND i.deleted_at IS NULL
        GROUP BY p.family, p.name
        ORDER BY revenue DESC
    """,
    "receivables_aging": """
        SELECT c.name AS customer,
               sum(CASE WHEN :end - i.due_on <= 30 THEN i.open_amount ELSE 0 END) AS d0_30,
               sum(CASE WHEN :end - i.due_on BETWEEN 31 AND 60 THEN i.open_amount ELSE 0 END) AS d31_60,
               sum(CASE WHEN :end - i.due_on > 60 THEN i.open_amount ELSE 0 END) AS d60_plus
        FROM invoices i JOIN customers c ON c.id = i.customer_id
        WHERE i.status = 'open' AND NOT c.is_deleted
        GROUP BY c.name
        HAVING sum(i.open_amount) > 0
        ORDER BY d60_plus DESC
    """,
    "credit_notes": """
        SELECT n.number, n.issued_on, c.name AS customer, n.amount, n.reason
        FROM credit_notes n JOIN customers c ON c.id = n.customer_id
        WHERE n.issued_on >= :start AND n.issued_on < :end AND n.deleted_at IS NULL
        ORDER BY n.issued_on
    """,
    "deleted_invoices_audit": """
        -- invoices soft-deleted during the month, for the auditor
        SELECT i.number, i.deleted_at, u.email AS deleted_by
        FROM invoices i LEFT JOIN users u ON u.id = i.deleted_by
        WHERE i.deleted_at >= :start AND i.deleted_at < :end
    """,
}


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    start = dt.date.fromisoformat(month + "-01")
    end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start, end


def build(url: str, month: str, out: Path) -> Path:
    engine = create_engine(url)
    start, end = month_bounds(month)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"finance_{month}.xlsx"
    with engine.connect() as conn, pd.ExcelWriter(target, engine="openpyxl") as xl:
        for sheet, sql in QUERIES.items():
            frame = pd.read_sql(text(sql), conn, params={"start": start, "end": end})
            frame.to_excel(xl, sheet_name=sheet[:31], index=False)
            log.info("%s: %d rows", sheet, len(frame))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("month", help="YYYY-MM")
    parser.add_argument("--out", type=Path, default=Path("reports/finance"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    path = build(os.environ.get("FINANCE_DB_URL", "postgresql://reports@finance-db.internal/finance"), args.month, args.out)
    print("wrote", path)


if __name__ == "__main__":
    main()
