"""The people directory: labels per person and source, keyed by the respondent key.

A roster import replaces the tenant's whole roster in the caller's transaction, so a
failed import leaves the previous roster as it was, and people missing from the new
file lose their roster labels. Nothing here reads or returns a respondent key to the
caller but the writes it is given: listings are counts of labels, never people. The
ask reads a person's entry in the statement of its decision (:mod:`storage.asks`).
Like every storage module, nothing here commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DirectoryEntry
from storage.sql import rowcount, table

ROSTER = "roster"
"""The source of labels imported from a file."""

_ENTRY = table(DirectoryEntry)
BATCH = 1000


@dataclass(frozen=True)
class Entry:
    """One person's labels from one source, as stored."""

    respondent_key: str
    labels: dict[str, str] = field(default_factory=dict)
    started_on: date | None = None


async def replace_entries(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    source: str,
    entries: Sequence[Entry],
) -> int:
    """Make ``entries`` the tenant's whole directory from ``source`` (keys unique);
    return how many were written."""
    await clear_entries(session, tenant_id=tenant_id, source=source)
    rows = [
        {
            "tenant_id": tenant_id,
            "respondent_key": entry.respondent_key,
            "source": source,
            "labels": dict(entry.labels),
            "started_on": entry.started_on,
        }
        for entry in entries
    ]
    for start in range(0, len(rows), BATCH):
        await session.execute(insert(_ENTRY), rows[start : start + BATCH])
    return len(rows)


async def clear_entries(session: AsyncSession, *, tenant_id: uuid.UUID, source: str) -> int:
    """Delete the tenant's directory from ``source``; return how many people it held."""
    return await rowcount(
        session,
        delete(_ENTRY).where(_ENTRY.c.tenant_id == tenant_id, _ENTRY.c.source == source),
    )


@dataclass(frozen=True)
class Described:
    """What a source says of one person, without saying who: labels and start date."""

    labels: dict[str, str]
    started_on: date | None


async def descriptions(
    session: AsyncSession, *, tenant_id: uuid.UUID, source: str
) -> tuple[Described, ...]:
    """Every entry of the tenant's ``source`` without its key, for counting labels (in
    the order of the keys, which are HMACs: an order that says nothing)."""
    query = (
        select(_ENTRY.c.labels, _ENTRY.c.started_on)
        .where(_ENTRY.c.tenant_id == tenant_id, _ENTRY.c.source == source)
        .order_by(_ENTRY.c.respondent_key)
    )
    return tuple(
        Described(labels=dict(labels or {}), started_on=started_on)
        for labels, started_on in (await session.execute(query)).all()
    )
