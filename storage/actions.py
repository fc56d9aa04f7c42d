"""Keyword-only data access for action plans and "you said, we did" notes.

Each function runs inside the caller's session and transaction; none commits. Values
arrive validated (the rules live in the bot's domain); this module only keeps them. An
action's ``number`` is its survey's next running number, and the unique key on
(survey, number) decides between two actions added at once: the loser takes the next
number. A reminder is claimed by a compare-and-set on ``reminded_on``, so it is sent
once whatever the number of replicas.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Survey, Tenant, Wave
from storage.plan_models import ActionPlan, ActionPlanBase, WaveNote
from storage.sql import insert_unless_present, rowcount

NUMBER_ATTEMPTS = 5
"""How many running numbers an add tries before giving up: each failed try means that
another action took that number in the same instant."""

OPEN_STATUSES = ("planned", "in_progress")


async def add_action(
    session: AsyncSession, *, survey: Survey, item: ActionPlanBase, now: datetime
) -> ActionPlan:
    """Store ``item`` as the survey's next action; returns the row with its number."""
    for _ in range(NUMBER_ATTEMPTS):
        highest = await session.execute(
            select(func.max(col(ActionPlan.number))).where(col(ActionPlan.survey_id) == survey.id)
        )
        row = ActionPlan(
            **item.model_dump(),
            tenant_id=survey.tenant_id,
            survey_id=survey.id,
            number=(highest.scalar_one_or_none() or 0) + 1,
            created_at=now,
            updated_at=now,
        )
        if await insert_unless_present(session, row):
            return row
    raise RuntimeError("no free action number after several tries")


async def find_action(
    session: AsyncSession, *, survey_id: uuid.UUID, number: int
) -> ActionPlan | None:
    """The survey's action ``number``, or None."""
    query = select(ActionPlan).where(
        col(ActionPlan.survey_id) == survey_id, col(ActionPlan.number) == number
    )
    return (await session.execute(query)).scalar_one_or_none()


async def update_action(
    session: AsyncSession, *, action: ActionPlan, item: ActionPlanBase, now: datetime
) -> ActionPlan:
    """Give ``action`` the values of ``item`` (its scope stays as created). A changed due
    date earns a new reminder."""
    values = item.model_dump(exclude={"scope_label", "scope_value"})
    rearm = values["due_on"] != action.due_on
    for name, value in values.items():
        setattr(action, name, value)
    if rearm:
        action.reminded_on = None
    action.updated_at = now
    session.add(action)
    await session.flush()
    return action


async def actions_of_survey(
    session: AsyncSession, *, survey_id: uuid.UUID, scope: tuple[str, str] | None = None
) -> list[ActionPlan]:
    """The survey's actions by number; with ``scope``, only those created for that group."""
    query = select(ActionPlan).where(col(ActionPlan.survey_id) == survey_id)
    if scope is not None:
        query = query.where(
            col(ActionPlan.scope_label) == scope[0], col(ActionPlan.scope_value) == scope[1]
        )
    return list((await session.execute(query.order_by(col(ActionPlan.number)))).scalars())


async def reminders_due(
    session: AsyncSession, *, today: date, until: date
) -> list[tuple[ActionPlan, Survey, Tenant]]:
    """Open actions not yet reminded whose due date lies from ``today`` to ``until``,
    with their survey and tenant, soonest first."""
    query = (
        select(ActionPlan, Survey, Tenant)
        .join(Survey, col(Survey.id) == col(ActionPlan.survey_id))
        .join(Tenant, col(Tenant.id) == col(ActionPlan.tenant_id))
        .where(
            col(ActionPlan.status).in_(OPEN_STATUSES),
            col(ActionPlan.reminded_on).is_(None),
            col(ActionPlan.due_on) >= today,
            col(ActionPlan.due_on) <= until,
        )
        .order_by(col(ActionPlan.due_on), col(ActionPlan.number))
    )
    return [(action, survey, tenant) for action, survey, tenant in await session.execute(query)]


async def claim_reminder(session: AsyncSession, *, action_id: uuid.UUID, today: date) -> bool:
    """Mark the action reminded on ``today``; True for exactly one of racing callers."""
    statement = (
        update(ActionPlan)
        .where(col(ActionPlan.id) == action_id, col(ActionPlan.reminded_on).is_(None))
        .values(reminded_on=today)
    )
    return await rowcount(session, statement) == 1


async def overdue_actions(
    session: AsyncSession, *, survey_id: uuid.UUID, today: date
) -> list[ActionPlan]:
    """The survey's open actions whose due date is before ``today``, oldest first."""
    query = (
        select(ActionPlan)
        .where(
            col(ActionPlan.survey_id) == survey_id,
            col(ActionPlan.status).in_(OPEN_STATUSES),
            col(ActionPlan.due_on) < today,
        )
        .order_by(col(ActionPlan.due_on), col(ActionPlan.number))
    )
    return list((await session.execute(query)).scalars())


async def wave_count(session: AsyncSession, *, survey_id: uuid.UUID) -> int:
    """How many waves the survey has opened; the next one is this plus one."""
    query = select(func.count()).select_from(Wave).where(col(Wave.survey_id) == survey_id)
    return int((await session.execute(query)).scalar_one())


async def write_note(
    session: AsyncSession,
    *,
    survey: Survey,
    wave_number: int,
    text: str,
    now: datetime,
    keep: bool = False,
) -> None:
    """Keep ``text`` as the note of the survey's wave ``wave_number``, replacing one
    written before (with ``keep``, a note written before stays: of racing writers the
    first one wins)."""
    row = WaveNote(
        tenant_id=survey.tenant_id,
        survey_id=survey.id,
        wave_number=wave_number,
        text=text,
        written_at=now,
    )
    if await insert_unless_present(session, row) or keep:
        return
    await session.execute(
        update(WaveNote)
        .where(col(WaveNote.survey_id) == survey.id, col(WaveNote.wave_number) == wave_number)
        .values(text=text, written_at=now)
    )


async def note_for(session: AsyncSession, *, survey_id: uuid.UUID, wave_number: int) -> str | None:
    """The note written for the survey's wave ``wave_number``, or None."""
    query = select(col(WaveNote.text)).where(
        col(WaveNote.survey_id) == survey_id, col(WaveNote.wave_number) == wave_number
    )
    return (await session.execute(query)).scalar_one_or_none()


async def wave_number(session: AsyncSession, *, wave: Wave) -> int:
    """``wave``'s number among its survey's waves, counted from 1 in opening order."""
    query = (
        select(func.count())
        .select_from(Wave)
        .where(col(Wave.survey_id) == wave.survey_id, col(Wave.opens_at) <= wave.opens_at)
    )
    return int((await session.execute(query)).scalar_one())


async def note_of_wave(session: AsyncSession, *, wave: Wave) -> str | None:
    """The note stored for ``wave``, by its number, or None."""
    number = await wave_number(session, wave=wave)
    return await note_for(session, survey_id=wave.survey_id, wave_number=number)
