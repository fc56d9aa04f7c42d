"""scoped viewers: a survey's report shared with one person for one group

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-04 09:00:00.000000

``scoped_viewer`` names the person by their respondent key (never a platform user id),
the survey, and the one label value whose report they may read. One share per person and
survey.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoped_viewer",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), sa.ForeignKey("tenant.id"), nullable=False),
        sa.Column("survey_id", sa.Uuid(), sa.ForeignKey("survey.id"), nullable=False),
        sa.Column("viewer_key", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("shared_on", sa.Date(), nullable=False),
        sa.UniqueConstraint("survey_id", "viewer_key", name="uq_scoped_viewer"),
    )
    op.create_index("ix_scoped_viewer_tenant_id", "scoped_viewer", ["tenant_id"])
    op.create_index("ix_scoped_viewer_survey_id", "scoped_viewer", ["survey_id"])


def downgrade() -> None:
    op.drop_index("ix_scoped_viewer_survey_id", table_name="scoped_viewer")
    op.drop_index("ix_scoped_viewer_tenant_id", table_name="scoped_viewer")
    op.drop_table("scoped_viewer")
