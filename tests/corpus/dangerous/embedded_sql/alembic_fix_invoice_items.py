"""fix failing migration: recreate invoice_items with the right FK

Revision ID: 7c1e2b9d4a10
Revises: 5a9f03c2e7b1
Create Date: 2025-02-03 10:12:44.118220

The previous revision failed halfway on prod-like data because invoice_items already
existed with an integer invoice_id. Drop it and create it again with the uuid FK.
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "7c1e2b9d4a10"
down_revision = "5a9f03c2e7b1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # expect: destructive
    op.execute("DROP TABLE IF EXISTS invoice_items CASCADE")
    op.create_table(
        "invoice_items",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("invoice_id", postgresql.UUID(as_uuid=True), sa.ForeignKey("invoices.id"), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False, server_default="1"),
        sa.Column("unit_price_cents", sa.Integer, nullable=False),
    )
    op.create_index("ix_invoice_items_invoice_id", "invoice_items", ["invoice_id"])


def downgrade() -> None:
    op.drop_index("ix_invoice_items_invoice_id", table_name="invoice_items")
    op.drop_table("invoice_items")
