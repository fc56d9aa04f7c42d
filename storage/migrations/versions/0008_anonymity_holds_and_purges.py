"""forget-me holds, purged invitation details, no locale on answers

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:00:00.000000

``ask_hold``: what forget-me keeps in place of a person's ask dates of a survey, the
first day they may be asked it again (per survey and respondent key), so that forgetting
cannot be used to answer the same survey again at once. Nothing to backfill: people who
forgot before this revision left nothing behind.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ask_hold",
        sa.Column("survey_id", sa.Uuid(), nullable=False),
        sa.Column("respondent_key", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("not_before", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"]),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"]),
        sa.PrimaryKeyConstraint("survey_id", "respondent_key"),
    )
    op.create_index("ix_ask_hold_tenant_id", "ask_hold", ["tenant_id"])


def downgrade() -> None:
    op.drop_index("ix_ask_hold_tenant_id", table_name="ask_hold")
    op.drop_table("ask_hold")
