"""anonymous replies: reply_thread and reply_message, keyed to the answer only

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 09:00:00.000000

A thread belongs to one anonymous answer (unique), its survey and tenant; a message to
its thread, with its position in it, its author's side (admin or respondent), the text
and whether the periodic notice covered it. No date on messages, no person anywhere;
``WITHOUT ROWID`` on SQLite so no hidden rowid records the order of writing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reply_thread",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), sa.ForeignKey("tenant.id"), nullable=False),
        sa.Column("survey_id", sa.Uuid(), sa.ForeignKey("survey.id"), nullable=False),
        sa.Column("answer_id", sa.Uuid(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("answer_id", name="uq_reply_thread_answer"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_reply_thread_tenant_id", "reply_thread", ["tenant_id"])
    op.create_index("ix_reply_thread_survey_id", "reply_thread", ["survey_id"])
    op.create_table(
        "reply_message",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("thread_id", sa.Uuid(), sa.ForeignKey("reply_thread.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("announced", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("thread_id", "position", name="uq_reply_message_position"),
        sa.CheckConstraint("author IN ('admin', 'respondent')", name="ck_reply_message_author"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_reply_message_thread_id", "reply_message", ["thread_id"])


def downgrade() -> None:
    op.drop_index("ix_reply_message_thread_id", table_name="reply_message")
    op.drop_table("reply_message")
    op.drop_index("ix_reply_thread_survey_id", table_name="reply_thread")
    op.drop_index("ix_reply_thread_tenant_id", table_name="reply_thread")
    op.drop_table("reply_thread")
