"""The respondent's hot path in as few statements as the rules allow.

Answering is the one path run once per person per ask, so it reads everything a decision
needs in one statement (:func:`ask_state`), stores the answer in a transaction that
writes nothing about the person (:func:`insert_answer`, after a claim from
:mod:`storage.claims`), and writes asks with a plain ``INSERT … ON CONFLICT DO NOTHING``
(:func:`add_ask`) instead of a savepoint: the unique constraint still decides between
racing callers, and a conflict leaves the transaction usable on PostgreSQL too.
:func:`add_ask` is the only writer of ask rows (``contact``), whoever asks: a person's
``/nps``, a channel card, a manual send or a wave.

The statements are built once, as Core statements over the tables with bound parameters:
SQLAlchemy then neither rebuilds them nor runs its ORM machinery for each answer, which
costs more than the database's own work on this path. Like every storage module,
nothing here commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, bindparam, exists, insert, select

from storage import claims, mixing
from storage.database import note_answers
from storage.directory import ROSTER
from storage.models import AskHold, Contact, DirectoryEntry, OptOut, Response, Survey
from storage.sql import Executor, dialect_name, insert_or_skip, table

_SURVEY, _CONTACT, _OPT_OUT, _HOLD, _RESPONSE, _ENTRY = (
    table(model) for model in (Survey, Contact, OptOut, AskHold, Response, DirectoryEntry)
)

_OPTED_OUT = exists().where(
    _OPT_OUT.c.tenant_id == bindparam("p_tenant"), _OPT_OUT.c.respondent_key == bindparam("p_key")
)

_NOT_BEFORE = (
    select(_HOLD.c.not_before)
    .where(_HOLD.c.survey_id == _SURVEY.c.id, _HOLD.c.respondent_key == bindparam("p_key"))
    .scalar_subquery()
)

_ROSTER_ENTRY = (
    _ENTRY.c.tenant_id == bindparam("p_tenant"),
    _ENTRY.c.respondent_key == bindparam("p_key"),
    _ENTRY.c.source == ROSTER,
)

_ASK_STATE = (
    select(
        _SURVEY,
        _OPTED_OUT.label("opted_out"),
        _NOT_BEFORE.label("not_before"),
        select(_ENTRY.c.labels).where(*_ROSTER_ENTRY).scalar_subquery().label("roster_labels"),
        select(_ENTRY.c.started_on).where(*_ROSTER_ENTRY).scalar_subquery().label("started_on"),
        _CONTACT.c.id.label("contact_id"),
        _CONTACT.c.wave_id.label("contact_wave_id"),
        _CONTACT.c.asked_on.label("contact_asked_on"),
        _CONTACT.c.open.label("contact_open"),
        _CONTACT.c.labels.label("contact_labels"),
    )
    .select_from(
        _SURVEY.outerjoin(
            _CONTACT,
            and_(
                _CONTACT.c.survey_id == _SURVEY.c.id,
                _CONTACT.c.respondent_key == bindparam("p_key"),
            ),
        )
    )
    .where(_SURVEY.c.id == bindparam("p_survey"), _SURVEY.c.tenant_id == bindparam("p_tenant"))
    .order_by(_CONTACT.c.asked_on)
)

_SURVEY_COLUMNS = tuple(column.name for column in _SURVEY.c)

_ASK_OF_THE_DAY = select(_CONTACT.c.id, _CONTACT.c.wave_id, _CONTACT.c.labels).where(
    _CONTACT.c.survey_id == bindparam("p_survey"),
    _CONTACT.c.respondent_key == bindparam("p_key"),
    _CONTACT.c.asked_on == bindparam("p_day"),
)

_INSERT_ANSWER = insert(_RESPONSE)


@dataclass(frozen=True)
class OpenAsk:
    """An ask that can still take the person's score.

    ``labels`` are the person's labels when asked, which its answer carries (``None``:
    an ask recorded before asks kept labels)."""

    contact_id: uuid.UUID
    wave_id: uuid.UUID | None
    labels: Mapping[str, str] | None = None


@dataclass(frozen=True)
class AskState:
    """What the engine decides from: the survey, the opt-out, the person's asks of it
    and the hold forget-me left in place of older ones (``not_before``, or None); and
    what the people directory's roster says of them (``roster_labels`` and
    ``started_on``, None without an entry), for the labels of a new ask."""

    survey: Survey
    opted_out: bool
    asked_on: list[date]
    not_before: date | None
    open_ask: OpenAsk | None
    roster_labels: Mapping[str, str] | None = None
    started_on: date | None = None


async def ask_state(
    session: Executor, *, tenant_id: uuid.UUID, survey_id: uuid.UUID, respondent_key: str
) -> AskState | None:
    """The survey ``survey_id`` of this tenant (None if there is none: never another
    tenant's), whether the person opted out of the tenant, every day they were asked this
    survey, the hold a forget-me left, their open ask, if any (the latest), and their
    roster entry, in one statement. The survey is a detached copy of its row, read for
    its settings."""
    params = {"p_tenant": tenant_id, "p_survey": survey_id, "p_key": respondent_key}
    rows = (await session.execute(_ASK_STATE, params)).all()
    if not rows:
        return None
    asked_on: list[date] = []
    open_ask: OpenAsk | None = None
    for row in rows:
        if row.contact_id is None:
            continue
        asked_on.append(row.contact_asked_on)
        if row.contact_open:
            open_ask = OpenAsk(
                contact_id=row.contact_id,
                wave_id=row.contact_wave_id,
                labels=_labels(row.contact_labels),
            )
    # Every column is read, so the row is taken as it is: ``model_construct`` skips
    # what building a new row does (about a tenth of the time, on every answer). The
    # survey's columns lead the row, in the table's order.
    survey = Survey.model_construct(**dict(zip(_SURVEY_COLUMNS, rows[0], strict=False)))
    first = rows[0]._mapping
    return AskState(
        survey=survey,
        opted_out=bool(first["opted_out"]),
        asked_on=asked_on,
        not_before=first["not_before"],
        open_ask=open_ask,
        roster_labels=_labels(first["roster_labels"]),
        started_on=first["started_on"],
    )


def _labels(stored: object) -> dict[str, str] | None:
    """Labels as stored in a JSON column (None stays None)."""
    if not isinstance(stored, Mapping):
        return None
    return {str(name): str(value) for name, value in stored.items()}


async def add_ask(
    session: Executor,
    *,
    tenant_id: uuid.UUID,
    survey_id: uuid.UUID,
    respondent_key: str,
    asked_on: date,
    wave_id: uuid.UUID | None,
    labels: Mapping[str, str],
) -> tuple[OpenAsk, bool]:
    """Record an open ask (of the wave ``wave_id``, if one asks) carrying the person's
    ``labels`` of today, with one ``INSERT``.

    Returns the ask and True when this call wrote it. When the person already has an
    ask of that survey on that day (a racing caller, or an ask answered earlier today),
    nothing is written and that ask is returned with False; whether it is still open is
    for the compare-and-set that closes it to decide.
    """
    contact_id = uuid.uuid4()
    values: dict[str, Any] = {
        "id": contact_id,
        "tenant_id": tenant_id,
        "survey_id": survey_id,
        "wave_id": wave_id,
        "respondent_key": respondent_key,
        "asked_on": asked_on,
        "open": True,
        "labels": dict(labels),
    }
    statement = insert_or_skip(_CONTACT, dialect_name(session))
    inserted = await session.execute(statement, values)
    if inserted.rowcount:  # type: ignore[attr-defined]
        return OpenAsk(contact_id=contact_id, wave_id=wave_id, labels=dict(labels)), True
    params = {"p_survey": survey_id, "p_key": respondent_key, "p_day": asked_on}
    existing, existing_wave, existing_labels = (
        await session.execute(_ASK_OF_THE_DAY, params)
    ).one()
    return OpenAsk(
        contact_id=existing, wave_id=existing_wave, labels=_labels(existing_labels)
    ), False


async def insert_answer(
    session: Executor,
    *,
    survey: Survey,
    claim: str,
    wave_id: uuid.UUID | None,
    score: int,
    segments: Mapping[str, str],
    answered_on: date,
) -> uuid.UUID | None:
    """Claim the ask named by the digest ``claim`` and store one anonymous answer of
    ``survey``; return the answer's random id, or None (nothing written) when the ask
    was claimed already.

    On SQLite two ``INSERT`` statements. On PostgreSQL the claim takes the survey's
    mixing pool lock in the same statement, and the answer joins the pool, which is
    rewritten in random order with it (see :mod:`storage.mixing`). The caller's
    transaction must write no row about the person: that is what keeps the answer's
    transaction id from naming them.
    """
    pooled = mixing.mixes(session)
    if not await claims.claim_ask(session, survey_id=survey.id, digest=claim, lock_pool=pooled):
        return None
    response_id = uuid.uuid4()
    values: dict[str, Any] = {
        "id": response_id,
        "tenant_id": survey.tenant_id,
        "survey_id": survey.id,
        "wave_id": wave_id,
        "score": score,
        "reason": None,
        "segments": dict(segments),
        "answered_on": answered_on,
        "release_step": None,
        "mixing": False,
    }
    if pooled:
        await mixing.remix(session, mixing.Pool.of(survey), added=values)
    else:
        await session.execute(_INSERT_ANSWER, values)
    note_answers(session, 1)
    return response_id
