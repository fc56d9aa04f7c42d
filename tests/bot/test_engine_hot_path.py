"""The respondent's hot path: few statements per answer, every guarantee kept.

The engine remembers tenant and default-survey ids per workspace; these tests prove the
remembered path still refuses what it must (other tenants' surveys, closed surveys,
opt-outs, second clicks) and recovers when a remembered id no longer names a row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete, event, func, select, update
from sqlmodel import col

from bot.runtime.services import Services
from bot.views.common import Notice, ReasonPrompt, ScorePrompt, Tone
from storage.models import AnswerClaim, Contact, OptOut, Response, Survey, Tenant
from tests.bot.test_engine import answer, count_responses, person


@contextmanager
def statements(services: Services) -> Iterator[list[str]]:
    """Every SQL statement the database receives inside the block (BEGIN/COMMIT aside)."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(str(args[2]).split()[0].upper())

    engine = services.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_an_answer_takes_few_statements_once_the_workspace_is_known(
    services: Services,
) -> None:
    await answer(services, person("warm-up"), 7)
    who = person("U2")
    with statements(services) as seen:
        prompt = await services.engine.start(who)
        assert isinstance(prompt, ScorePrompt)
        view = await services.engine.record_score(who, survey_id=prompt.survey_id, score=9)
    assert isinstance(view, ReasonPrompt)
    # start: one read (survey, opt-out, asks) and the ask. record: the same read, the
    # claim and the answer in a transaction of their own, then closing the ask in the
    # next one. On PostgreSQL the claim takes the mixing pool's lock in the same
    # statement, and one more takes the pool's answers and ratings out and writes them
    # back with the new answer. No savepoint, no repeated lookups: 6 statements on
    # either.
    start = ["SELECT", "INSERT"]
    if services.database.engine.dialect.name == "postgresql":
        store = ["SELECT", "WITH", "WITH"]
    else:
        store = ["SELECT", "INSERT", "INSERT"]
    assert seen == [*start, *store, "UPDATE"]
    assert await count_responses(services) == 2


async def test_the_remembered_path_refuses_another_tenants_survey(services: Services) -> None:
    ours, theirs = person(tenant="T1"), person(tenant="T2")
    await answer(services, ours, 8)  # T1 is now remembered
    prompt = await services.engine.start(theirs)
    assert isinstance(prompt, ScorePrompt)
    view = await services.engine.record_score(ours, survey_id=prompt.survey_id, score=5)
    assert isinstance(view, Notice) and view.tone is Tone.ERROR
    assert await count_responses(services) == 1


async def test_the_remembered_path_refuses_a_closed_survey(services: Services) -> None:
    await answer(services, person("warm-up"), 7)
    who = person("U2")
    prompt = await services.engine.start(who)
    assert isinstance(prompt, ScorePrompt)
    async with services.database.transaction() as session:
        await session.execute(update(Survey).values(status="closed"))
    view = await services.engine.record_score(who, survey_id=prompt.survey_id, score=9)
    assert isinstance(view, Notice) and view.tone is Tone.ERROR
    assert await count_responses(services) == 1


async def test_the_remembered_path_refuses_someone_who_opted_out_with_an_ask_open(
    services: Services,
) -> None:
    await answer(services, person("warm-up"), 7)
    who = person("U2")
    prompt = await services.engine.start(who)
    assert isinstance(prompt, ScorePrompt)
    await services.engine.opt_out(who)
    view = await services.engine.record_score(who, survey_id=prompt.survey_id, score=9)
    assert isinstance(view, Notice) and "opted out" in view.text
    async with services.database.transaction() as session:
        still_open = await session.scalar(
            select(func.count()).select_from(Contact).where(col(Contact.open).is_(True))
        )
    assert still_open == 1, "a refused score must leave the ask as it was"
    assert await count_responses(services) == 1


async def test_a_workspace_deleted_and_seen_again_is_recreated(services: Services) -> None:
    who = person()
    first = await answer(services, who, 9)
    assert isinstance(first, ReasonPrompt)
    async with services.database.transaction() as session:
        for table in (Response, AnswerClaim, Contact, OptOut, Survey, Tenant):
            await session.execute(delete(table))
    prompt = await services.engine.start(who)
    assert isinstance(prompt, ScorePrompt)
    view = await services.engine.record_score(who, survey_id=prompt.survey_id, score=3)
    assert isinstance(view, ReasonPrompt)
    assert await count_responses(services) == 1


async def test_a_stale_survey_id_from_a_button_is_refused(services: Services) -> None:
    await answer(services, person("warm-up"), 7)
    view = await services.engine.record_score(person("U2"), survey_id=str(uuid.uuid4()), score=4)
    assert isinstance(view, Notice) and view.tone is Tone.ERROR
    assert await count_responses(services) == 1
