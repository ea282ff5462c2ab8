"""add shipping_method to orders

Revision ID: 7f3a2c1d9b10
Revises: 1b2c3d4e5f60
"""
import sqlalchemy as sa
from alembic import op

revision = "7f3a2c1d9b10"
down_revision = "1b2c3d4e5f60"


def upgrade():
    op.add_column("orders", sa.Column("shipping_method", sa.String(32), nullable=True))
    op.execute("UPDATE orders SET shipping_method = 'standard' WHERE shipping_method IS NULL AND created_at < '2024-01-01'")
    op.create_index("orders_shipping_method_idx", "orders", ["shipping_method"])
