"""closed-loop alerts and digests on their own cadence

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-25 12:00:00.000000

A survey gains an alert channel (a private admin channel for closed-loop alerts) and a
digest cadence (a crontab line read in the survey's time zone). An ``alert`` row is
inserted before an alert is posted; its unique ``(survey, kind, period, channel)`` key
is what lets any number of processes post each alert once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("survey") as batch:
        batch.add_column(sa.Column("alert_channel", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("digest_cadence", sa.String(length=120), nullable=True))
    op.create_table(
        "alert",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("survey_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("survey_id", "kind", "period", "channel", name="uq_alert_once"),
    )


def downgrade() -> None:
    op.drop_table("alert")
    with op.batch_alter_table("survey") as batch:
        batch.drop_column("digest_cadence")
        batch.drop_column("alert_channel")
