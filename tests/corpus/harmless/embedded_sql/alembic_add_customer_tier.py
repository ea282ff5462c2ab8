"""add customer tier and index

Revision ID: 7c1e2a9d4b11
Revises: 3fa85f6457
Create Date: 2024-10-01 09:12:44
"""
import sqlalchemy as sa
from alembic import op

revision = "7c1e2a9d4b11"
down_revision = "3fa85f6457"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customers", sa.Column("tier", sa.String(length=16), nullable=True))
    op.execute("UPDATE customers SET tier = 'standard' WHERE tier IS NULL")
    with op.get_context().autocommit_block():
        op.create_index("ix_customers_tier", "customers", ["tier"], postgresql_concurrently=True)
    op.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_created_at ON orders (created_at)")


def downgrade() -> None:
    op.drop_index("ix_customers_tier", table_name="customers")
    op.drop_column("customers", "tier")
