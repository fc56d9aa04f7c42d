"""shared pace: one token bucket per platform and tenant, for replicas on one database

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 09:00:00.000000

``pace_bucket`` holds, per (platform, tenant), the time its next send token falls due on
the database server's clock. Every replica takes its tokens from this one row, so
together they keep to the platform's per-workspace rate limit.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pace_bucket",
        sa.Column("platform", sa.String(length=32), primary_key=True),
        sa.Column("tenant", sa.String(length=64), primary_key=True),
        sa.Column("due", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("pace_bucket")
