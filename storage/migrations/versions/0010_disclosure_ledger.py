"""the disclosure ledger: release steps on answers, released groups, release state

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-02 19:00:00.000000

Reports, digests, alerts and exports release only answers that belong to a release step
(``response.release_step``), and only groups that the disclosure rule admits given every
group released before (``released_group``). ``release_state`` holds each survey's newest
step and serialises its releases. Answers stored before this revision form step 1 of their
survey when it has at least k of them (its first release cuts it); the ledger starts empty.

The report index gains ``release_step`` so the score cube still streams from it on SQLite.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None

INDEX = "ix_response_cube"


def upgrade() -> None:
    with op.batch_alter_table("response") as batch:
        batch.add_column(sa.Column("release_step", sa.Integer(), nullable=True))
    op.drop_index(INDEX, table_name="response")
    _cube_index(with_step=True)
    op.create_table(
        "release_state",
        sa.Column("survey_id", sa.Uuid(), sa.ForeignKey("survey.id"), primary_key=True),
        sa.Column("step", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("text_step", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("ratings_step", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("releases", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "released_group",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("survey_id", sa.Uuid(), sa.ForeignKey("survey.id"), nullable=False),
        sa.Column("selector", sa.Text(), nullable=False),
        sa.UniqueConstraint("survey_id", "selector", name="uq_released_group"),
    )
    op.create_index("ix_released_group_survey_id", "released_group", ["survey_id"])


def downgrade() -> None:
    op.drop_index("ix_released_group_survey_id", table_name="released_group")
    op.drop_table("released_group")
    op.drop_table("release_state")
    op.drop_index(INDEX, table_name="response")
    _cube_index(with_step=False)
    with op.batch_alter_table("response") as batch:
        batch.drop_column("release_step")


def _cube_index(*, with_step: bool) -> None:
    step = ["release_step"] if with_step else []
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            INDEX,
            "response",
            ["survey_id", "answered_on", "score", "wave_id"],
            postgresql_include=["segments", *step],
        )
    else:
        op.create_index(
            INDEX, "response", ["survey_id", "answered_on", "segments", "score", "wave_id", *step]
        )
