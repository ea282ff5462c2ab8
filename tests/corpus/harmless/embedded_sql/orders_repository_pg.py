"""Postgres repository for orders (psycopg 3), used by the order service.

All writes are single-row or carry an explicit WHERE. `delete_order` removes
ONE draft order; placed orders are only ever soft-deleted (deleted_at).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

import psycopg
from psycopg.rows import class_row, dict_row


@dataclass
class Order:
    id: int
    customer_id: int
    status: str
    total: Decimal
    created_at: dt.datetime
    deleted_at: dt.datetime | None


class OrderRepository:
    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def get(self, order_id: int) -> Order | None:
        with self.conn.cursor(row_factory=class_row(Order)) as cur:
            cur.execute(
                "SELECT id, customer_id, status, total, created_at, deleted_at FROM orders"
                " WHERE id = %s AND deleted_at IS NULL",
                (order_id,),
            )
            return cur.fetchone()

    def list_for_customer(self, customer_id: int, limit: int = 50) -> list[Order]:
        with self.conn.cursor(row_factory=class_row(Order)) as cur:
            cur.execute(
                "SELECT id, customer_id, status, total, created_at, deleted_at FROM orders"
                " WHERE customer_id = %s AND deleted_at IS NULL ORDER BY created_at DESC LIMIT %s",
                (customer_id, limit),
            )
            return cur.fetchall()

    def create_draft(self, customer_id: int) -> int:
        with self.conn.cursor() as cur:
            cur.execute("INSERT INTO orders (customer_id, status, total) VALUES (%s, 'draft', 0) RETURNING id",
                        (customer_id,))
            (order_id,) = cur.fetchone()
        return order_id

    def add_line(self, order_id: int, sku: str, qty: int, unit_price: Decimal) -> None:
        with self.conn.cursor() as cur:
            cur.execute("INSERT INTO order_lines (order_id, sku, qty, unit_price) VALUES (%s, %s, %s, %s)",
                        (order_id, sku, qty, unit_price))
            cur.execute("UPDATE orders SET total = (SELECT coalesce(sum(qty * unit_price), 0) FROM order_lines"
                        " WHERE order_id = %s) WHERE id = %s", (order_id, order_id))

    def remove_line(self, order_id: int, sku: str) -> None:
        with self.conn.cursor() as cur:
            cur.execute("DELETE FROM order_lines WHERE order_id = %s AND sku = %s", (order_id, sku))

    def place(self, order_id: int) -> None:
        with self.conn.cursor() as cur:
            cur.execute("UPDATE orders SET status = 'placed', placed_at = now() WHERE id = %s AND status = 'draft'",
                        (order_id,))
            if cur.rowcount != 1:
                raise ValueError(f"order {order_id} is not a draft")

    def delete_order(self, order_id: int) -> None:
        """Delete one draft (never placed) order and its lines."""
        with self.conn.transaction(), self.conn.cursor() as cur:
            cur.execute("DELETE FROM order_lines WHERE order_id = %s", (order_id,))
            cur.execute("DELETE FROM orders WHERE id = %s AND status = 'draft'", (order_id,))

    def soft_delete(self, order_id: int) -> None:
        with self.conn.cursor() as cur:
            cur.execute("UPDATE orders SET deleted_at = now(), is_deleted = true WHERE id = %s", (order_id,))

    def restore(self, order_id: int) -> None:
        with self.conn.cursor() as cur:
            cur.execute("UPDATE orders SET deleted_at = NULL, is_deleted = false WHERE id = %s", (order_id,))

    def stream_placed(self, since: dt.datetime) -> Iterator[dict]:
        with self.conn.cursor(name="placed_stream", row_factory=dict_row) as cur:
            cur.itersize = 2000
            cur.execute("SELECT id, customer_id, total, placed_at FROM orders WHERE status = 'placed'"
                        " AND placed_at >= %s ORDER BY placed_at", (since,))
            yield from cur


def connect(dsn: str) -> OrderRepository:
    return OrderRepository(psycopg.connect(dsn, autocommit=True))
