"""waves, invitations and survey settings for scheduled surveys

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 10:00:00.000000

A wave records the opening it answers (``scheduled_for``), unique per survey, so
replicas that fire the same scheduled job open one wave. An invitation carries what
delivery needs while its wave is open: the person's language and time zone, when to
deliver and remind, the sent message's reference and whether they answered. A survey
gains its answer window, its number of reminders and its language.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Rows written before this revision get these values; the models set the same defaults.
EPOCH = "1970-01-01 00:00:00+00:00"


def upgrade() -> None:
    with op.batch_alter_table("survey") as batch:
        batch.add_column(
            sa.Column("window_days", sa.Integer(), nullable=False, server_default="14")
        )
        batch.add_column(sa.Column("reminders", sa.Integer(), nullable=False, server_default="2"))
        batch.add_column(
            sa.Column("locale", sa.String(length=16), nullable=False, server_default="en")
        )
    with op.batch_alter_table("wave") as batch:
        batch.add_column(
            sa.Column(
                "scheduled_for",
                sa.DateTime(timezone=True),
                nullable=False,
                server_default=sa.text(f"'{EPOCH}'"),
            )
        )
    # Older waves answer their own opening.
    op.execute("UPDATE wave SET scheduled_for = opens_at")
    with op.batch_alter_table("wave") as batch:
        batch.create_unique_constraint("uq_wave_opening", ["survey_id", "scheduled_for"])
    with op.batch_alter_table("invitation") as batch:
        batch.add_column(
            sa.Column("locale", sa.String(length=16), nullable=False, server_default="en")
        )
        batch.add_column(
            sa.Column("timezone", sa.String(length=64), nullable=False, server_default="UTC")
        )
        batch.add_column(
            sa.Column(
                "deliver_at",
                sa.DateTime(timezone=True),
                nullable=False,
                server_default=sa.text(f"'{EPOCH}'"),
            )
        )
        batch.add_column(sa.Column("reference", sa.String(length=128), nullable=True))
        batch.add_column(
            sa.Column("answered", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("reminders_sent", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("remind_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_invitation_due", ["status", "deliver_at"])


def downgrade() -> None:
    with op.batch_alter_table("invitation") as batch:
        batch.drop_index("ix_invitation_due")
        for column in (
            "remind_at",
            "reminders_sent",
            "answered",
            "reference",
            "deliver_at",
            "timezone",
            "locale",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("wave") as batch:
        batch.drop_constraint("uq_wave_opening", type_="unique")
        batch.drop_column("scheduled_for")
    with op.batch_alter_table("survey") as batch:
        for column in ("locale", "reminders", "window_days"):
            batch.drop_column(column)
