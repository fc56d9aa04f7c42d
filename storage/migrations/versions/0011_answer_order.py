"""answers that no transaction id or disk position ties to a person

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 07:00:00.000000

``answer_claim`` lets an answer be stored in a transaction that writes nothing about the
person (the ask is closed in the next one). ``response.mixing`` marks the answers of a
survey's mixing pool, which PostgreSQL rewrites in random order with every change; a
partial index finds them. ``release_state.releases`` goes: the release lock rewrites
the row unchanged instead of counting, so a report that shows nothing new stores nothing.
Answers stored before this revision are outside the pool; on PostgreSQL they and their
ratings are stamped anew by this revision's transaction, so the transaction ids they
shared with their askers' rows are gone.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

POOL_INDEX = "ix_response_mixing"


def upgrade() -> None:
    op.create_table(
        "answer_claim",
        sa.Column("digest", sa.String(length=64), primary_key=True),
        sa.Column("survey_id", sa.Uuid(), sa.ForeignKey("survey.id"), nullable=False),
        sa.Column("seen", sa.Boolean(), nullable=False, server_default=sa.false()),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_answer_claim_survey_id", "answer_claim", ["survey_id"])
    with op.batch_alter_table("response") as batch:
        batch.add_column(
            sa.Column("mixing", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_index(
        POOL_INDEX,
        "response",
        ["survey_id"],
        postgresql_where=sa.text("mixing"),
        sqlite_where=sa.text("mixing"),
    )
    with op.batch_alter_table("release_state") as batch:
        batch.drop_column("releases")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE response SET mixing = false")
        op.execute("UPDATE driver_rating SET rating = rating")


def downgrade() -> None:
    with op.batch_alter_table("release_state") as batch:
        batch.add_column(sa.Column("releases", sa.Integer(), nullable=False, server_default="0"))
    op.drop_index(POOL_INDEX, table_name="response")
    with op.batch_alter_table("response") as batch:
        batch.drop_column("mixing")
    op.drop_index("ix_answer_claim_survey_id", table_name="answer_claim")
    op.drop_table("answer_claim")
