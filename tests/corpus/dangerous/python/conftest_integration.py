"""Shared fixtures for the integration test-suite (tests/integration/conftest.py).

The suite runs against the database named by DATABASE_URL (CI sets it to the
ephemeral postgres service; locally it is whatever you have in .env).
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from shop.app import create_app
from shop.db import Base, get_session
from shop.models import Customer, Order, OrderLine, Product

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://shop:shop@localhost:5432/shop")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: tests that take more than a second")
    config.addinivalue_line("markers", "payments: tests that hit the payments sandbox")


@pytest.fixture(scope="session")
def engine():
    engine = create_engine(DATABASE_URL, future=True, pool_pre_ping=True)
    Base.metadata.create_all(engine)
    yield engine
    # leave the database as we found it for the next run
    # expect: destructive
    Base.metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture()
def session(engine) -> Iterator[Session]:
    connection = engine.connect()
    transaction = connection.begin()
    factory = sessionmaker(bind=connection, expire_on_commit=False, future=True)
    session = factory()
    nested = connection.begin_nested()

    from sqlalchemy import event

    @event.listens_for(session, "after_transaction_end")
    def restart_savepoint(sess, trans):  # pragma: no cover - sqlalchemy callback
        nonlocal nested
        if not nested.is_active:
            nested = connection.begin_nested()

    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture()
def client(session: Session) -> Iterator[TestClient]:
    app = create_app()
    app.dependency_overrides[get_session] = lambda: session
    with TestClient(app) as test_client:
        yield test_client
    app.dependency_overrides.clear()


@pytest.fixture()
def customer(session: Session) -> Customer:
    record = Customer(email=f"test-{uuid.uuid4().hex[:8]}@example.com", name="Test Customer", country="DE")
    session.add(record)
    session.flush()
    return record


@pytest.fixture()
def products(session: Session) -> list[Product]:
    items = [
        Product(sku="MUG-001", name="Mug", price=Decimal("9.90"), stock=100),
        Product(sku="TEE-002", name="T-shirt", price=Decimal("19.00"), stock=50),
        Product(sku="CAP-003", name="Cap", price=Decimal("14.50"), stock=0),
    ]
    session.add_all(items)
    session.flush()
    return items


@pytest.fixture()
def order(session: Session, customer: Customer, products: list[Product]) -> Order:
    record = Order(customer=customer, status="pending")
    record.lines = [OrderLine(product=products[0], quantity=2), OrderLine(product=products[1], quantity=1)]
    session.add(record)
    session.flush()
    return record


@pytest.fixture()
def auth_headers(customer: Customer) -> dict[str, str]:
    from shop.auth import issue_token

    return {"Authorization": f"Bearer {issue_token(customer.id, scopes=['orders:write'])}"}


@pytest.fixture(autouse=True)
def _no_real_payments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAYMENTS_MODE", "sandbox")
    monkeypatch.setattr("shop.payments.capture", lambda *a, **k: {"status": "captured", "id": "test"})
