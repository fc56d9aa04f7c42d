"""invitation claim time, so claims left by a stopped process can be reconciled

Revision ID: 0007
Revises: 0003
Create Date: 2026-11-25 12:00:00.000000

A sender stamps ``claimed_at`` when it claims an invitation (pending -> sending). A row
still ``sending`` long after that was left by a process that stopped mid-send; delivery
then asks the platform whether the message arrived instead of guessing. Rows claimed
before this revision have no stamp and count as left behind.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invitation") as batch:
        batch.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("invitation") as batch:
        batch.drop_column("claimed_at")
