"""release steps: indexes for the report's theme counts and for the waiting answers

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 07:20:00.000000

The report counts detractors' and promoters' written reasons per range of release steps
(``storage.disclosure.reasons_by_side``). Without table statistics SQLite read that
through ``ix_response_survey_id``, every answer of the survey looked up in the table (a
million answers: 0.8 s for the two counts). This partial index holds only answers with a
reason, keyed so that the count reads a range of it and nothing else.

Likewise every report first counts the answers no release step holds yet
(``storage.disclosure.waiting_answers``: 0.1 s for a million released answers, each
looked up). ``ix_response_waiting`` holds only those, which are few between reports.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

INDEX = "ix_response_reason_step"
WAITING = "ix_response_waiting"


def upgrade() -> None:
    with_reason = sa.text("reason IS NOT NULL")
    op.create_index(
        INDEX,
        "response",
        ["survey_id", "release_step", "score"],
        sqlite_where=with_reason,
        postgresql_where=with_reason,
    )
    waiting = sa.text("release_step IS NULL")
    # ``release_step`` in the key, always NULL here, makes the index cover the count and
    # match its condition, so that SQLite prefers it to ``ix_response_cube``.
    op.create_index(
        WAITING,
        "response",
        ["survey_id", "release_step"],
        sqlite_where=waiting,
        postgresql_where=waiting,
    )


def downgrade() -> None:
    op.drop_index(WAITING, table_name="response")
    op.drop_index(INDEX, table_name="response")
