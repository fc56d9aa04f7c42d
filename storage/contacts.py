"""Keyword-only data access for asks (the ``contact`` table): who was asked which
survey on which day, and whether that ask can still take a score.

Each function runs inside the caller's session and transaction; none commits. An ask
is unique per survey, person and day. Which of racing answers it takes is decided by
its claim (:mod:`storage.claims`); closing it afterwards is idempotent. Asks are
read and written through :mod:`storage.asks` (its ``add_ask`` is the only writer of
ask rows); this module closes them.
"""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Contact
from storage.sql import Executor, rowcount, table

# Built once: closing an ask is on every answer's path.
_CONTACT = table(Contact)
_CLOSE = (
    update(_CONTACT)
    .where(_CONTACT.c.id == bindparam("p_contact"), _CONTACT.c.open.is_(True))
    .values(open=False)
)


async def close_contact(session: Executor, *, contact_id: uuid.UUID) -> bool:
    """Close an open ask; True if it was open."""
    closed = await session.execute(_CLOSE, {"p_contact": contact_id})
    return bool(closed.rowcount)  # type: ignore[attr-defined]


async def close_wave_contacts(session: AsyncSession, *, wave_id: uuid.UUID) -> int:
    """Close every ask of the wave still waiting for a score."""
    statement = (
        update(Contact)
        .where(col(Contact.wave_id) == wave_id, col(Contact.open).is_(True))
        .values(open=False)
    )
    return await rowcount(session, statement)


async def open_asks(
    session: AsyncSession, *, survey_id: uuid.UUID
) -> list[tuple[uuid.UUID, uuid.UUID | None, str]]:
    """Every ask of the survey still open: its id, its wave (or None) and its person's key."""
    query = select(col(Contact.id), col(Contact.wave_id), col(Contact.respondent_key)).where(
        col(Contact.survey_id) == survey_id, col(Contact.open).is_(True)
    )
    return [(row[0], row[1], row[2]) for row in (await session.execute(query)).all()]
