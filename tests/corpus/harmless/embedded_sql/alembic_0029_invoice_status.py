"""add invoice status and payment reference

Revision ID: 0029_invoice_status
Revises: 0028_customer_vat
Create Date: 2024-08-12 09:31:44.120412

Forward-only migration: the downgrade intentionally does nothing (dropping the
new columns would lose payment references captured after the deploy).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029_invoice_status"
down_revision = "0028_customer_vat"
branch_labels = None
depends_on = None

invoice_status = sa.Enum("draft", "open", "paid", "void", "uncollectible", name="invoice_status")


def upgrade() -> None:
    invoice_status.create(op.get_bind(), checkfirst=True)
    op.add_column("invoices", sa.Column("status", invoice_status, nullable=True))
    op.add_column("invoices", sa.Column("payment_reference", sa.String(64), nullable=True))
    op.add_column("invoices", sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True))

    # backfill from the old boolean columns
    op.execute("UPDATE invoices SET status = 'paid' WHERE is_paid AND status IS NULL")
    op.execute("UPDATE invoices SET status = 'void' WHERE is_void AND status IS NULL")
    op.execute("UPDATE invoices SET status = 'open' WHERE status IS NULL AND issued_at IS NOT NULL")
    op.execute("UPDATE invoices SET status = 'draft' WHERE status IS NULL AND issued_at IS NULL")

    op.alter_column("invoices", "status", nullable=False, server_default="draft")
    op.create_index("ix_invoices_status", "invoices", ["status"])
    op.create_index("ix_invoices_payment_reference", "invoices", ["payment_reference"], unique=True,
                    postgresql_where=sa.text("payment_reference IS NOT NULL"))


def downgrade() -> None:
    # forward-only; see module docstring. Never drop_column here.
    pass
