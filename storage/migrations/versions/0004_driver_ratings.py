"""optional driver questions: survey.drivers and driver_rating

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 12:00:00.000000

A survey may list up to five 1-5 driver questions (``drivers``, a JSON list of
``{"key", "label"}``; empty for every existing survey). Each rating is stored against the
anonymous answer it follows, unique per answer and driver, and nothing else.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("survey") as batch:
        batch.add_column(sa.Column("drivers", sa.JSON(), nullable=False, server_default="[]"))
    op.create_table(
        "driver_rating",
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("driver", sa.String(length=32), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.CheckConstraint("rating >= 1 AND rating <= 5", name="ck_driver_rating_rating"),
        sa.ForeignKeyConstraint(["response_id"], ["response.id"]),
        sa.PrimaryKeyConstraint("response_id", "driver"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("driver_rating")
    with op.batch_alter_table("survey") as batch:
        batch.drop_column("drivers")
