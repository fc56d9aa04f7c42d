"""action plans and "you said, we did" notes: the outer loop of a survey

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 09:00:00.000000

``action_plan`` holds what an admin (or a scoped viewer, for their group) decided to do
about a theme or a driver of a survey: a title, the owner (an admin's platform user id,
so they can be reminded), a due date, a status and a note. It holds nothing about any
respondent. ``wave_note`` holds the "you said, we did" text written for one wave of a
survey before it opens, by the wave's number.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "action_plan",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), sa.ForeignKey("tenant.id"), nullable=False),
        sa.Column("survey_id", sa.Uuid(), sa.ForeignKey("survey.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("theme", sa.String(length=64), nullable=True),
        sa.Column("driver", sa.String(length=64), nullable=True),
        sa.Column("scope_label", sa.String(length=64), nullable=True),
        sa.Column("scope_value", sa.String(length=200), nullable=True),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("survey_id", "number", name="uq_action_plan_number"),
        sa.CheckConstraint(
            "status IN ('planned', 'in_progress', 'done', 'dropped')",
            name="ck_action_plan_status",
        ),
        sa.CheckConstraint("theme IS NULL OR driver IS NULL", name="ck_action_plan_subject"),
    )
    op.create_index("ix_action_plan_tenant_id", "action_plan", ["tenant_id"])
    op.create_index("ix_action_plan_survey_id", "action_plan", ["survey_id"])
    op.create_table(
        "wave_note",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), sa.ForeignKey("tenant.id"), nullable=False),
        sa.Column("survey_id", sa.Uuid(), sa.ForeignKey("survey.id"), nullable=False),
        sa.Column("wave_number", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=600), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("survey_id", "wave_number", name="uq_wave_note"),
    )
    op.create_index("ix_wave_note_tenant_id", "wave_note", ["tenant_id"])
    op.create_index("ix_wave_note_survey_id", "wave_note", ["survey_id"])


def downgrade() -> None:
    op.drop_index("ix_wave_note_survey_id", table_name="wave_note")
    op.drop_index("ix_wave_note_tenant_id", table_name="wave_note")
    op.drop_table("wave_note")
    op.drop_index("ix_action_plan_survey_id", table_name="action_plan")
    op.drop_index("ix_action_plan_tenant_id", table_name="action_plan")
    op.drop_table("action_plan")
