"""Keyword-only data access for asks (the ``contact`` table): who was asked which
survey on which day, and whether that ask can still take a score.

Each function runs inside the caller's session and transaction; none commits. An ask
is unique per survey, person and day, and it is closed by a compare-and-set, so of
any number of racing callers exactly one closes it and stores the answer. The hot
path of answering reads and writes asks through :mod:`storage.asks`.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Contact
from storage.sql import insert_unless_present, rowcount


async def ask_dates(
    session: AsyncSession, *, survey_id: uuid.UUID, respondent_key: str
) -> list[date]:
    """Every day this person was asked this survey."""
    query = select(col(Contact.asked_on)).where(
        col(Contact.survey_id) == survey_id, col(Contact.respondent_key) == respondent_key
    )
    return list((await session.execute(query)).scalars())


async def open_contact(
    session: AsyncSession, *, survey_id: uuid.UUID, respondent_key: str
) -> Contact | None:
    """The ask that can still take this person's score, if any."""
    query = select(Contact).where(
        col(Contact.survey_id) == survey_id,
        col(Contact.respondent_key) == respondent_key,
        col(Contact.open).is_(True),
    )
    return (await session.execute(query)).scalars().first()


async def add_contact(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    survey_id: uuid.UUID,
    respondent_key: str,
    asked_on: date,
) -> Contact:
    """Record an ask (open). A second ask on the same day returns the existing row."""
    contact = Contact(
        tenant_id=tenant_id, survey_id=survey_id, respondent_key=respondent_key, asked_on=asked_on
    )
    if await insert_unless_present(session, contact):
        return contact
    query = select(Contact).where(
        col(Contact.survey_id) == survey_id,
        col(Contact.respondent_key) == respondent_key,
        col(Contact.asked_on) == asked_on,
    )
    return (await session.execute(query)).scalar_one()


async def close_contact(session: AsyncSession, *, contact_id: uuid.UUID) -> bool:
    """Close an open ask. True for exactly one caller, however many race for it."""
    statement = (
        update(Contact)
        .where(col(Contact.id) == contact_id, col(Contact.open).is_(True))
        .values(open=False)
    )
    return await rowcount(session, statement) > 0


async def add_wave_contact(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    survey_id: uuid.UUID,
    wave_id: uuid.UUID,
    respondent_key: str,
    asked_on: date,
) -> bool:
    """Record the wave's ask, open, so the person's score closes it. False if one exists."""
    contact = Contact(
        tenant_id=tenant_id,
        survey_id=survey_id,
        wave_id=wave_id,
        respondent_key=respondent_key,
        asked_on=asked_on,
    )
    return await insert_unless_present(session, contact)


async def close_wave_contacts(session: AsyncSession, *, wave_id: uuid.UUID) -> int:
    """Close every ask of the wave still waiting for a score."""
    statement = (
        update(Contact)
        .where(col(Contact.wave_id) == wave_id, col(Contact.open).is_(True))
        .values(open=False)
    )
    return await rowcount(session, statement)
