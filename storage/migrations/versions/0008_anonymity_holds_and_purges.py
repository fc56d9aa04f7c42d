"""forget-me holds, purged invitation details, no locale on answers

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:00:00.000000

``ask_hold``: what forget-me keeps in place of a person's ask dates of a survey, the
first day they may be asked it again (per survey and respondent key), so that forgetting
cannot be used to answer the same survey again at once. Nothing to backfill: people who
forgot before this revision left nothing behind.

``invitation``: closing a wave now also purges ``locale``, ``timezone``, ``deliver_at``
(null), ``reminders_sent`` (0) and ``error`` (null), which told one invitee from another
after the wave closed; the first three become nullable. Waves closed before this
revision are purged here the same way. Going down, purged rows get the old defaults
(``en``, ``UTC``) and their wave's opening as the delivery time.

``response.locale``: dropped. It labelled each answer with its writer's language, a
label reports never held to the ``k`` rule (the one ``ja`` answer of a team); theme
analysis now reads the script of the text instead. On SQLite the column is dropped in
place (``ALTER TABLE … DROP COLUMN``, SQLite 3.35+), not by copying the table, so that
``response`` stays ``WITHOUT ROWID``. Going down, every answer gets ``en``: the
languages are gone.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_PURGED = (
    ("locale", sa.String(length=16)),
    ("timezone", sa.String(length=64)),
    ("deliver_at", sa.DateTime(timezone=True)),
)
"""Invitation columns a closed wave nulls, so they must allow it."""

_CLOSED_WAVES = "SELECT id FROM wave WHERE status = 'closed'"


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

    with op.batch_alter_table("invitation") as batch:
        for name, kind in _PURGED:
            batch.alter_column(name, existing_type=kind, nullable=True)
    op.execute(
        "UPDATE invitation SET locale = NULL, timezone = NULL, deliver_at = NULL,"
        f" reminders_sent = 0, error = NULL WHERE wave_id IN ({_CLOSED_WAVES})"
    )

    op.drop_column("response", "locale")


def downgrade() -> None:
    op.add_column(
        "response",
        sa.Column("locale", sa.String(length=16), nullable=False, server_default="en"),
    )

    op.execute(
        "UPDATE invitation SET locale = COALESCE(locale, 'en'),"
        " timezone = COALESCE(timezone, 'UTC'),"
        " deliver_at = COALESCE(deliver_at,"
        " (SELECT opens_at FROM wave WHERE wave.id = invitation.wave_id))"
    )
    with op.batch_alter_table("invitation") as batch:
        for name, kind in _PURGED:
            batch.alter_column(name, existing_type=kind, nullable=False)

    op.drop_index("ix_ask_hold_tenant_id", table_name="ask_hold")
    op.drop_table("ask_hold")
