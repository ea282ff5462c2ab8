"""conftest.py: give every test a clean database without dropping anything.

Each test runs inside a transaction (and a SAVEPOINT for code that commits) that is
rolled back afterwards, so the dev/test database is "reset" between tests for free.
"""
import os

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import Session

engine = create_engine(os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://app:app@localhost:5432/app_test"))


@pytest.fixture()
def db_session():
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")

    @event.listens_for(session, "after_transaction_end")
    def restart_savepoint(sess, trans):
        if trans.nested and not trans._parent.nested:
            sess.begin_nested()

    session.execute(text("CREATE TEMPORARY TABLE temp_fixture_ids (id bigint) ON COMMIT DROP"))
    yield session
    session.close()
    outer.rollback()
    connection.close()


@pytest.fixture()
def customer(db_session):
    row = db_session.execute(
        text("INSERT INTO customers (email, name) VALUES (:e, :n) RETURNING id"),
        {"e": "test@example.com", "n": "Test"},
    ).one()
    return row.id
