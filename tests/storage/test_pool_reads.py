"""An answer's rewrite of its survey's mixing pool reads the pool, not the survey.

Every answer on PostgreSQL takes its survey's pool out and writes it back
(:mod:`storage.mixing`), under the survey's lock. The pool holds at most 2k answers;
the survey may hold hundreds of thousands. The pool's partial index
(``ix_response_mixing``, on answers ``WHERE mixing``) is what keeps each answer's work
the pool's size: a predicate the planner cannot match to it (``mixing IS true`` is not
``mixing`` to PostgreSQL) reads every answer of the survey on every answer, while
everyone behind waits for the lock. These tests store real answers through the engine,
capture the rewrite as it was sent, and read the plan the server makes of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from bot.runtime.services import Services
from bot.views.common import ScorePrompt
from tests.storage.test_answer_order import someone

K = 5  # the default survey's k
POOL_INDEX = "ix_response_mixing"


async def answer(services: Services, people: range) -> str:
    """Each of ``people`` asked and answering; the survey's id."""
    survey_id = ""
    for index in people:
        prompt = await services.engine.start(someone(index))
        assert isinstance(prompt, ScorePrompt)
        survey_id = prompt.survey_id
        await services.engine.record_score(someone(index), survey_id=survey_id, score=index % 11)
    return survey_id


def plan_nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)


async def test_an_answer_rewrites_the_pool_through_its_index(services: Services) -> None:
    if services.database.dialect != "postgresql":
        pytest.skip("the mixing pool is PostgreSQL's (docs/design/anonymity.md)")
    # Enough answers that most have left the pool (it keeps k once it reaches 2k).
    await answer(services, range(12 * K))
    sent: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "taken_answers" in statement:
            sent.append((statement, parameters))

    sync_engine = services.database.engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", capture)
    try:
        await answer(services, range(12 * K, 12 * K + 1))
    finally:
        event.remove(sync_engine, "before_cursor_execute", capture)
    assert len(sent) == 1, "one rewrite of the pool an answer"
    statement, parameters = sent[0]

    async with services.database.engine.connect() as connection:
        # So tiny tables are not simply scanned whole: the plan shows the index it can use.
        await connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        explained = await connection.exec_driver_sql(
            "EXPLAIN (FORMAT JSON) " + statement, parameters
        )
        plan = explained.scalar_one()
    root = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    answer_scans = [
        node
        for node in plan_nodes(root)
        if node.get("Relation Name") == "response" and "Scan" in node["Node Type"]
    ]
    # Two reads of the pool (its answers' ratings, and its answers), each through the
    # pool's index, which holds the pool's answers only.
    assert len(answer_scans) == 2, root
    for scan in answer_scans:
        assert scan.get("Index Name") == POOL_INDEX, f"reads answers outside the pool: {scan}"
