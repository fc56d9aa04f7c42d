"""The respondent's hot path in as few statements as the rules allow.

Answering is the one path run once per person per ask, so it reads everything a decision
needs in one statement (:func:`ask_state`) and writes asks with a plain
``INSERT … ON CONFLICT DO NOTHING`` (:func:`add_open_ask`) instead of a savepoint: the
unique constraint still decides between racing callers, and a conflict leaves the
transaction usable on PostgreSQL too. Like :mod:`storage.queries`, nothing here commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Contact, OptOut, Response, Survey


@dataclass(frozen=True)
class OpenAsk:
    """An ask that can still take the person's score."""

    contact_id: uuid.UUID
    wave_id: uuid.UUID | None


@dataclass(frozen=True)
class AskState:
    """What the engine decides from: the survey, the opt-out, the person's asks of it."""

    survey: Survey
    opted_out: bool
    asked_on: list[date]
    open_ask: OpenAsk | None


async def ask_state(
    session: AsyncSession, *, tenant_id: uuid.UUID, survey_id: uuid.UUID, respondent_key: str
) -> AskState | None:
    """The survey ``survey_id`` of this tenant (None if there is none: never another
    tenant's), whether the person opted out of the tenant, every day they were asked this
    survey and their open ask, if any (the latest), in one statement."""
    opted_out = exists().where(
        col(OptOut.tenant_id) == tenant_id, col(OptOut.respondent_key) == respondent_key
    )
    query = (
        select(
            Survey,
            opted_out.label("opted_out"),
            col(Contact.id),
            col(Contact.wave_id),
            col(Contact.asked_on),
            col(Contact.open),
        )
        .outerjoin(
            Contact,
            and_(
                col(Contact.survey_id) == col(Survey.id),
                col(Contact.respondent_key) == respondent_key,
            ),
        )
        .where(col(Survey.id) == survey_id, col(Survey.tenant_id) == tenant_id)
        .order_by(col(Contact.asked_on))
    )
    rows = (await session.execute(query)).all()
    if not rows:
        return None
    asked_on: list[date] = []
    open_ask: OpenAsk | None = None
    for _, _, contact_id, wave_id, day, is_open in rows:
        if contact_id is None:
            continue
        asked_on.append(day)
        if is_open:
            open_ask = OpenAsk(contact_id=contact_id, wave_id=wave_id)
    return AskState(
        survey=rows[0][0], opted_out=bool(rows[0][1]), asked_on=asked_on, open_ask=open_ask
    )


async def close_open_ask(
    session: AsyncSession, *, tenant_id: uuid.UUID, survey_id: uuid.UUID, respondent_key: str
) -> OpenAsk | None:
    """Close the person's latest open ask of the active survey ``survey_id`` of this tenant,
    unless they opted out, with one compare-and-set ``UPDATE … RETURNING``.

    Returns the ask closed, for exactly one caller however many race for it; None when
    nothing was closed (no such survey, opted out, no open ask, or another caller won):
    nothing changed, and the caller reads :func:`ask_state` to say why.
    """
    latest_open = (
        select(col(Contact.id))
        .where(
            col(Contact.survey_id) == survey_id,
            col(Contact.respondent_key) == respondent_key,
            col(Contact.open).is_(True),
        )
        .order_by(col(Contact.asked_on).desc())
        .limit(1)
        .scalar_subquery()
    )
    active = exists().where(
        col(Survey.id) == survey_id,
        col(Survey.tenant_id) == tenant_id,
        col(Survey.status) == "active",
    )
    opted_out = exists().where(
        col(OptOut.tenant_id) == tenant_id, col(OptOut.respondent_key) == respondent_key
    )
    statement = (
        update(Contact)
        .where(col(Contact.id) == latest_open, col(Contact.open).is_(True), active, ~opted_out)
        .values(open=False)
        .returning(col(Contact.id), col(Contact.wave_id))
        .execution_options(synchronize_session=False)
    )
    closed = (await session.execute(statement)).first()
    return None if closed is None else OpenAsk(contact_id=closed[0], wave_id=closed[1])


async def add_open_ask(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    survey_id: uuid.UUID,
    respondent_key: str,
    asked_on: date,
) -> OpenAsk:
    """Record an open ask; when one exists already for that day (a racing caller, or an
    ask answered earlier today), return that one instead. Whether it is still open is
    for the compare-and-set that closes it to decide."""
    contact_id = uuid.uuid4()
    inserted = await _insert_unless_conflicting(
        session,
        Contact,
        {
            "id": contact_id,
            "tenant_id": tenant_id,
            "survey_id": survey_id,
            "respondent_key": respondent_key,
            "asked_on": asked_on,
            "open": True,
        },
    )
    if inserted:
        return OpenAsk(contact_id=contact_id, wave_id=None)
    query = select(col(Contact.id), col(Contact.wave_id)).where(
        col(Contact.survey_id) == survey_id,
        col(Contact.respondent_key) == respondent_key,
        col(Contact.asked_on) == asked_on,
    )
    existing, wave_id = (await session.execute(query)).one()
    return OpenAsk(contact_id=existing, wave_id=wave_id)


async def insert_answer(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    survey_id: uuid.UUID,
    wave_id: uuid.UUID | None,
    score: int,
    locale: str,
    segments: Mapping[str, str],
    answered_on: date,
) -> uuid.UUID:
    """Store one anonymous answer with one ``INSERT`` and return its random id."""
    response_id = uuid.uuid4()
    await session.execute(
        insert(Response).values(
            id=response_id,
            tenant_id=tenant_id,
            survey_id=survey_id,
            wave_id=wave_id,
            score=score,
            reason=None,
            locale=locale,
            segments=dict(segments),
            answered_on=answered_on,
        )
    )
    return response_id


async def _insert_unless_conflicting(
    session: AsyncSession, table: type[Contact], values: dict[str, Any]
) -> bool:
    """``INSERT … ON CONFLICT DO NOTHING``: True when the row was written."""
    dialect = session.get_bind().dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = builder(table).values(**values).on_conflict_do_nothing()
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]
