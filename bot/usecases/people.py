"""The people directory from an operator's side: import a roster, count it, clear it.

A roster is stored keyed by the respondent key computed from each person's user id
(:func:`bot.domain.identity.respondent_key`), never by the user id or the email it was
given: emails are resolved to user ids first (:class:`~bot.ports.directory.EmailLookup`)
and then forgotten. An import is all or nothing: a problem on any line (a bad cell, an
email the platform does not know, one person twice) stores nothing, and a good file
replaces the tenant's whole roster in one transaction. Nothing here lists people: the
counts are per label value, and the export per combination of labels.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.csv_rows import Problem, ProblemCode
from bot.domain.identity import respondent_key
from bot.domain.people import Person
from bot.domain.roster_rows import RosterRow
from bot.domain.tenure import labels_when_asked
from bot.ports.directory import EmailLookup
from storage import directory
from storage.directory import ROSTER, Entry


@dataclass(frozen=True)
class Resolved:
    """Either every row's user id (``users[i]`` for ``rows[i]``) or every problem."""

    users: tuple[str, ...]
    problems: tuple[Problem, ...]


class EmailsNeedLookup(ValueError):
    """The roster names people by email, and the platform cannot resolve emails."""


async def resolve_users(
    rows: Sequence[RosterRow],
    *,
    lookup: EmailLookup | None,
    progress: Callable[[int], None] | None = None,
) -> Resolved:
    """The user id of each row: its ``user`` cell, or its email resolved by ``lookup``
    (one call per email, in order, so the platform's rate limits hold; ``progress`` is
    told of each). An unknown
    email, or two rows naming one user, is a problem on its line. Raise
    :class:`EmailsNeedLookup` when an email must be resolved without ``lookup``."""
    if lookup is None and any(row.user is None for row in rows):
        raise EmailsNeedLookup("this platform cannot find people by email: use a user column")
    users: list[str] = []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for row in rows:
        user = row.user
        if user is None:
            assert lookup is not None and row.email is not None
            user = await lookup.user_for_email(row.email)
            if user is None:
                problems.append(
                    Problem(row.line, ProblemCode.UNKNOWN_EMAIL, column="email", value=row.email)
                )
            if progress is not None:
                progress(1)
        if user is None:
            continue
        if user in first_line:
            problems.append(
                Problem(
                    row.line,
                    ProblemCode.DUPLICATE_PERSON,
                    column="user",
                    value=str(first_line[user]),
                )
            )
            continue
        first_line[user] = row.line
        users.append(user)
    if problems:
        return Resolved((), tuple(problems))
    return Resolved(tuple(users), ())


async def store_roster(
    session: AsyncSession,
    *,
    pepper: bytes,
    platform: str,
    tenant: str,
    tenant_id: uuid.UUID,
    rows: Sequence[RosterRow],
    users: Sequence[str],
) -> int:
    """Replace the tenant's roster with ``rows`` (whose user ids are ``users``), keyed by
    respondent key, in the caller's transaction; return how many people it holds."""
    entries = [
        Entry(
            respondent_key=respondent_key(
                pepper, Person(platform=platform, tenant=tenant, user_id=user)
            ),
            labels=dict(row.labels),
            started_on=row.started_on,
        )
        for row, user in zip(rows, users, strict=True)
    ]
    return await directory.replace_entries(
        session, tenant_id=tenant_id, source=ROSTER, entries=entries
    )


@dataclass(frozen=True)
class RosterCounts:
    """How many people the roster holds, and per label name how many carry each value
    (``tenure`` as its bands on the day counted)."""

    people: int
    labels: dict[str, dict[str, int]]


async def roster_counts(
    session: AsyncSession, *, tenant_id: uuid.UUID, today: date
) -> RosterCounts:
    """Counts of the tenant's roster per label value, never who."""
    described = await directory.descriptions(session, tenant_id=tenant_id, source=ROSTER)
    counts: dict[str, Counter[str]] = {}
    for entry in described:
        for name, value in _labels(entry, today).items():
            counts.setdefault(name, Counter())[value] += 1
    return RosterCounts(
        people=len(described),
        labels={name: dict(sorted(values.items())) for name, values in sorted(counts.items())},
    )


async def roster_combinations(
    session: AsyncSession, *, tenant_id: uuid.UUID, today: date
) -> tuple[tuple[dict[str, str], int], ...]:
    """Each distinct combination of labels in the tenant's roster (tenure as its band on
    ``today``) with how many people have it, most common first: what ``people export``
    writes, since the roster cannot be given back (it holds no user id or email)."""
    described = await directory.descriptions(session, tenant_id=tenant_id, source=ROSTER)
    combinations = Counter(tuple(sorted(_labels(entry, today).items())) for entry in described)
    return tuple(
        (dict(labels), count)
        for labels, count in sorted(combinations.items(), key=lambda item: (-item[1], item[0]))
    )


async def clear_roster(session: AsyncSession, *, tenant_id: uuid.UUID) -> int:
    """Delete the tenant's roster; return how many people it held. Asks already made
    keep the labels they were made with."""
    return await directory.clear_entries(session, tenant_id=tenant_id, source=ROSTER)


def _labels(entry: directory.Described, today: date) -> dict[str, str]:
    return labels_when_asked(
        platform={}, roster=entry.labels, started_on=entry.started_on, today=today
    )
