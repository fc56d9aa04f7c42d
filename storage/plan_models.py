"""SQLModel tables of the outer loop: action plans and "you said, we did" notes.

Neither table holds anything about a respondent. An action names its owner, an admin,
by platform user id (so the bot can remind them); a note is an admin's own words.
Imported wherever the tables must be known (migrations, tenant removal) next to
:mod:`storage.models`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models import new_id


class ActionPlanBase(SQLModel):
    """What an action plan item is, whichever way it is written or read (no table).

    ``owner`` is the platform user id of the admin who answers for the action: an
    admin's, never a respondent's, and only so the bot can remind them. ``theme`` (a
    report theme key) and ``driver`` (a driver key) say what was heard; at most one is
    set. ``scope_label``/``scope_value`` are the group of the scoped viewer who created
    it, ``None`` for an admin's.
    """

    title: str = Field(max_length=120)
    owner: str = Field(max_length=64)
    due_on: date
    status: str = Field(default="planned", max_length=16)
    note: str | None = Field(default=None, max_length=1000)
    theme: str | None = Field(default=None, max_length=64)
    driver: str | None = Field(default=None, max_length=64)
    scope_label: str | None = Field(default=None, max_length=64)
    scope_value: str | None = Field(default=None, max_length=200)


class ActionPlan(ActionPlanBase, table=True):
    """One action plan item of a survey (see :class:`ActionPlanBase`).

    ``number`` is the survey's own running number of its actions (``#3``), unique per
    survey, so a chat command can name one. ``reminded_on`` is set by the one reminder
    that claims it, so an owner is reminded once whatever the number of replicas.
    """

    __tablename__ = "action_plan"
    __table_args__ = (
        UniqueConstraint("survey_id", "number", name="uq_action_plan_number"),
        CheckConstraint(
            "status IN ('planned', 'in_progress', 'done', 'dropped')",
            name="ck_action_plan_status",
        ),
        CheckConstraint("theme IS NULL OR driver IS NULL", name="ck_action_plan_subject"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenant.id", index=True)
    survey_id: uuid.UUID = Field(foreign_key="survey.id", index=True)
    number: int
    reminded_on: date | None = None
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class WaveNote(SQLModel, table=True):
    """The "you said, we did" text an admin wrote for one wave of a survey, before it
    opened.

    ``wave_number`` counts the survey's waves from 1 in the order they open, so a note
    can be written for the next wave before its row exists; the wave that opens as that
    number shows it. ``text`` is the admin's own words (escaped by each adapter when
    shown). One note per survey and wave number; writing again replaces it.
    """

    __tablename__ = "wave_note"
    __table_args__ = (UniqueConstraint("survey_id", "wave_number", name="uq_wave_note"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenant.id", index=True)
    survey_id: uuid.UUID = Field(foreign_key="survey.id", index=True)
    wave_number: int
    text: str = Field(max_length=600)
    written_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
