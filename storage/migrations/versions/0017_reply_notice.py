"""reply notices: the day the periodic notice last announced a survey's new replies

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 21:00:00.000000

``reply_notice`` holds one row per survey: the day the scheduled notice last said that
new replies exist. App Home shows the notice for a while after it. Written only by the
scheduled run, so its date is the scheduler's, never a person's.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reply_notice",
        sa.Column("survey_id", sa.Uuid(), sa.ForeignKey("survey.id"), primary_key=True),
        sa.Column("noticed_on", sa.Date(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("reply_notice")
