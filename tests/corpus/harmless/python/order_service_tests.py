"""Tests for shop.orders.OrderService (unit + sqlite-backed integration).

Fixtures build an isolated sqlite database in pytest's tmp_path; teardown only
ever touches that temporary directory.
"""
from __future__ import annotations

import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest

from shop.orders import InsufficientStock, OrderService, OrderStatus

SCHEMA = """
CREATE TABLE products (id INTEGER PRIMARY KEY, sku TEXT UNIQUE, price_cents INTEGER, stock INTEGER);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, status TEXT, total_cents INTEGER,
                     is_deleted INTEGER DEFAULT 0, deleted_at TEXT);
CREATE TABLE order_lines (order_id INTEGER, product_id INTEGER, quantity INTEGER);
"""


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "shop.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA)
        conn.executemany("INSERT INTO products (sku, price_cents, stock) VALUES (?, ?, ?)",
                         [("MUG", 990, 10), ("TEE", 1900, 2), ("CAP", 1450, 0)])
    return path


@pytest.fixture()
def service(db_path: Path) -> OrderService:
    svc = OrderService(sqlite3.connect(db_path))
    yield svc
    svc.close()


@pytest.fixture()
def export_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "exports"
    directory.mkdir()
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture()
def mailer():
    with mock.patch("shop.orders.send_confirmation") as send:
        yield send


def test_place_order_computes_total(service: OrderService, mailer) -> None:
    order = service.place("ada@example.com", {"MUG": 2, "TEE": 1})
    assert order.total == Decimal("38.80")
    assert order.status is OrderStatus.PENDING
    mailer.assert_called_once()


def test_place_order_reserves_stock(service: OrderService, mailer) -> None:
    service.place("ada@example.com", {"TEE": 2})
    assert service.stock("TEE") == 0


def test_out_of_stock_raises(service: OrderService, mailer) -> None:
    with pytest.raises(InsufficientStock) as err:
        service.place("ada@example.com", {"CAP": 1})
    assert "CAP" in str(err.value)
    mailer.assert_not_called()


def test_cancel_releases_stock(service: OrderService, mailer) -> None:
    order = service.place("ada@example.com", {"MUG": 3})
    service.cancel(order.id)
    assert service.stock("MUG") == 10
    assert service.get(order.id).status is OrderStatus.CANCELLED


def test_delete_order_is_soft(service: OrderService, mailer, db_path: Path) -> None:
    order = service.place("ada@example.com", {"MUG": 1})
    service.delete(order.id)
    with sqlite3.connect(db_path) as conn:
        is_deleted, deleted_at = conn.execute(
            "SELECT is_deleted, deleted_at FROM orders WHERE id = ?", (order.id,)).fetchone()
    assert is_deleted == 1 and deleted_at is not None
    assert service.get(order.id) is None


def test_delete_only_touches_one_order(service: OrderService, mailer) -> None:
    keep = service.place("grace@example.com", {"MUG": 1})
    drop = service.place("linus@example.com", {"MUG": 1})
    service.delete(drop.id)
    assert service.get(keep.id) is not None


@pytest.mark.parametrize("status", [OrderStatus.SHIPPED, OrderStatus.DELIVERED])
def test_cannot_cancel_after_shipping(service: OrderService, mailer, status) -> None:
    order = service.place("ada@example.com", {"MUG": 1})
    service.set_status(order.id, status)
    with pytest.raises(ValueError):
        service.cancel(order.id)


def test_export_csv(service: OrderService, mailer, export_dir: Path) -> None:
    service.place("ada@example.com", {"MUG": 1})
    service.place("grace@example.com", {"TEE": 1})
    path = service.export_csv(export_dir / "orders.csv")
    lines = path.read_text().splitlines()
    assert lines[0].startswith("id,customer,status,total")
    assert len(lines) == 3


def test_export_overwrite_flag(service: OrderService, mailer, export_dir: Path) -> None:
    target = export_dir / "orders.csv"
    target.write_text("stale")
    with pytest.raises(FileExistsError):
        service.export_csv(target)
    service.export_csv(target, overwrite=True)
    assert target.read_text() != "stale"


def test_drop_cols_are_not_exported(service: OrderService, mailer, export_dir: Path) -> None:
    service.place("ada@example.com", {"MUG": 1})
    header = service.export_csv(export_dir / "o.csv").read_text().splitlines()[0]
    for column in ("is_deleted", "deleted_at"):
        assert column not in header
