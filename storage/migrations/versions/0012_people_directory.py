"""the people directory: labels per respondent key, and the labels of each ask

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 09:00:00.000000

``directory_entry`` holds the labels a source (an imported roster) gives a person, keyed
by tenant, respondent key and source, never by a user id or an email, with an optional
start date for tenure bands. ``contact.labels`` keeps the labels a person had when asked,
so the answer carries those and not the ones of a later re-organisation. Asks recorded
before this revision have none (null).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "directory_entry",
        sa.Column("tenant_id", sa.Uuid(), sa.ForeignKey("tenant.id"), primary_key=True),
        sa.Column("respondent_key", sa.String(length=64), primary_key=True),
        sa.Column("source", sa.String(length=16), primary_key=True),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
    )
    with op.batch_alter_table("contact") as batch:
        batch.add_column(sa.Column("labels", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contact") as batch:
        batch.drop_column("labels")
    op.drop_table("directory_entry")
