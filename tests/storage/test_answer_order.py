"""No transaction id, disk position or claim ties an answer to its person.

PostgreSQL's system columns (``xmin``: the writing transaction; ``ctid``: the place on
disk) are what an operator with a database dump reads first. These tests answer as real
people do (the ``/nps`` path, a channel card, reasons, driver ratings), then play the
attacker against the system columns with the knowledge of who answered what (each
reason names its author, for the test only), and prove that the person's side of an
answer is written in a transaction of its own, and closed later when that was lost.
"""

from __future__ import annotations

import random
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlmodel import col

from bot.domain.people import Person
from bot.report.model import ReportRequest
from bot.runtime.services import Services, build_services
from bot.runtime.settings import Settings
from bot.usecases.keys import PersonKeys
from bot.usecases.settling import settle_claims
from bot.views.common import DriverPrompt, Notice, ReasonPrompt, ScorePrompt, Tone
from storage.answers import expire_reasons
from storage.models import AnswerClaim, Contact, Response
from tests.conftest import TEST_PEPPER, SchemaTemplates
from tests.support.clock import Clock

K = 5
PERSON_TABLES = ("contact", "invitation", "opt_out", "ask_hold")


@pytest.fixture
async def services(
    database_url: str, clock: Clock, schema_templates: SchemaTemplates
) -> AsyncIterator[Services]:
    """Services whose default survey asks two driver questions (k = 5)."""
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        nps_pepper=TEST_PEPPER,
        survey_drivers="growth=Growth,workload=Workload",
    )
    await schema_templates.fill(database_url)
    built = await build_services(settings, migrate=True, clock=clock)
    try:
        yield built
    finally:
        await built.database.dispose()


def someone(index: int) -> Person:
    return Person(platform="slack", tenant="T1", user_id=f"U{index:04d}", locale="en")


async def answer_as_people_do(services: Services, people: int, *, seed: int) -> str:
    """``people`` answers: most through ``/nps``, some from a channel card (a score with
    no open ask), most with a reason naming their author, many with driver ratings.
    Returns the survey id."""
    chance = random.Random(seed)
    engine = services.engine
    opening = await engine.start(someone(0))
    assert isinstance(opening, ScorePrompt)
    survey_id = opening.survey_id
    for index in range(people):
        who = someone(index)
        if index and chance.random() < 0.7:
            assert isinstance(await engine.start(who), ScorePrompt)
        view = await engine.record_score(who, survey_id=survey_id, score=chance.randint(0, 10))
        assert isinstance(view, ReasonPrompt), view
        if chance.random() < 0.2:
            continue  # no reason, no ratings
        follow = await engine.record_reason(who, token=view.token, reason=f"author {who.user_id}")
        if chance.random() < 0.6:
            assert isinstance(follow, DriverPrompt)
            for driver in ("growth", "workload")[: chance.randint(1, 2)]:
                rated = await engine.record_rating(
                    who, token=view.token, driver=driver, rating=chance.randint(1, 5)
                )
                assert isinstance(rated, DriverPrompt)
    return survey_id


@dataclass(frozen=True)
class Stamped:
    xmin: int
    place: tuple[int, int]
    author: str | None


async def stamped(services: Services, query: str) -> list[Stamped]:
    async with services.database.engine.connect() as connection:
        rows = (await connection.execute(text(query))).all()
    found = []
    for xmin, ctid, author in rows:
        page, item = (int(part) for part in re.findall(r"\d+", ctid))
        found.append(Stamped(xmin=int(xmin), place=(page, item), author=author))
    return found


async def answers_stamped(services: Services) -> list[Stamped]:
    return await stamped(
        services, "SELECT xmin::text, ctid::text, reason FROM response ORDER BY xmin::text::bigint"
    )


async def closings(services: Services) -> dict[str, int]:
    """Each person's ask, by the transaction that last wrote it (closed it)."""
    keys = PersonKeys(TEST_PEPPER.encode())
    by_key = {keys.respondent(someone(index)): someone(index).user_id for index in range(200)}
    async with services.database.engine.connect() as connection:
        rows = (
            await connection.execute(text("SELECT xmin::text, respondent_key FROM contact"))
        ).all()
    return {by_key[key]: int(xmin) for xmin, key in rows}


def postgres_only(services: Services) -> None:
    if services.database.dialect != "postgresql":
        pytest.skip("transaction ids and disk positions are PostgreSQL's system columns")


@pytest.mark.parametrize("people", [3, 12, 37])
async def test_no_answer_shares_its_transaction_with_a_row_about_a_person(
    services: Services, people: int
) -> None:
    postgres_only(services)
    await answer_as_people_do(services, people, seed=people)
    answer_side = {row.xmin for row in await answers_stamped(services)}
    answer_side |= {
        row.xmin
        for row in await stamped(services, "SELECT xmin::text, ctid::text, NULL FROM driver_rating")
    }
    answer_side |= {
        row.xmin
        for row in await stamped(services, "SELECT xmin::text, ctid::text, NULL FROM answer_claim")
    }
    for table in PERSON_TABLES:
        person_side = await stamped(services, f"SELECT xmin::text, ctid::text, NULL FROM {table}")
        assert not answer_side & {row.xmin for row in person_side}, table


@pytest.mark.parametrize("people", [4, 11, 40])
async def test_every_transaction_id_an_answer_carries_is_shared_by_k_answers(
    services: Services, people: int
) -> None:
    postgres_only(services)
    await answer_as_people_do(services, people, seed=people + 1)
    stamps = await answers_stamped(services)
    assert len(stamps) == people
    sizes: dict[int, int] = {}
    for row in stamps:
        sizes[row.xmin] = sizes.get(row.xmin, 0) + 1
    assert min(sizes.values()) >= min(K, people), sizes
    # Ratings are written with their answers' pool: each of their stamps is an answer
    # stamp shared by k answers, never one of their own.
    ratings = await stamped(services, "SELECT xmin::text, ctid::text, NULL FROM driver_rating")
    assert ratings, "the scenario rates some answers"
    assert {row.xmin for row in ratings} <= set(sizes)


async def test_the_order_of_transactions_and_of_disk_places_does_not_name_the_answerer(
    services: Services,
) -> None:
    """The attacker pairs the people, in the order their asks were closed, with the
    answers in the order of their transaction ids and then of their places on disk.
    Without mixing every pair is right; with it, about one in k is, by chance."""
    postgres_only(services)
    people = 40
    await answer_as_people_do(services, people, seed=7)
    by_person = await closings(services)
    named = [row for row in await answers_stamped(services) if row.author is not None]
    in_order = sorted(named, key=lambda row: (row.xmin, row.place))
    closed_in_order = sorted(
        (user for user in by_person if any(row.author == f"author {user}" for row in named)),
        key=lambda user: by_person[user],
    )
    right = sum(
        row.author == f"author {user}" for row, user in zip(in_order, closed_in_order, strict=True)
    )
    assert len(named) > people // 2
    assert right < len(named) // 2, f"{right} of {len(named)} answers paired with their author"
    # The nearest-transaction attacker: each person's answer is taken to be the one
    # stamped just before their ask was closed. That is a group of k, never one answer.
    stamps = sorted({row.xmin for row in named})
    for user in closed_in_order:
        before = [xmin for xmin in stamps if xmin < by_person[user]]
        if before:
            group = [row for row in await answers_stamped(services) if row.xmin == before[-1]]
            assert len(group) >= K


async def test_a_lost_second_step_leaves_the_ask_claimed_and_a_settling_run_closes_it(
    services: Services,
) -> None:
    """The person's side fails after the answer is stored (here a trigger refuses to
    close asks, as an outage between the two transactions would): the person is thanked,
    a second click stores nothing, and a settling run closes the ask later."""
    who = someone(1)
    prompt = await services.engine.start(who)
    assert isinstance(prompt, ScorePrompt)
    async with services.database.engine.begin() as connection:
        if services.database.dialect == "postgresql":
            await connection.execute(
                text(
                    "CREATE FUNCTION refuse() RETURNS trigger AS "
                    "$$ BEGIN RAISE EXCEPTION 'database went away'; END $$ LANGUAGE plpgsql"
                )
            )
            await connection.execute(
                text(
                    "CREATE TRIGGER refuse_close BEFORE UPDATE ON contact "
                    "FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
            )
        else:
            await connection.execute(
                text(
                    "CREATE TRIGGER refuse_close BEFORE UPDATE ON contact "
                    "BEGIN SELECT RAISE(ABORT, 'database went away'); END"
                )
            )
    view = await services.engine.record_score(who, survey_id=prompt.survey_id, score=9)
    assert isinstance(view, ReasonPrompt)
    again = await services.engine.record_score(who, survey_id=prompt.survey_id, score=2)
    assert isinstance(again, Notice) and again.tone is Tone.INFO
    assert "already" in again.text
    async with services.database.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(Response))).scalar() == 1
        still_open = select(func.count()).where(col(Contact.open).is_(True))
        assert (await session.execute(still_open)).scalar() == 1
    async with services.database.engine.begin() as connection:
        on_table = " ON contact" if services.database.dialect == "postgresql" else ""
        await connection.execute(text(f"DROP TRIGGER refuse_close{on_table}"))

    keys = PersonKeys(TEST_PEPPER.encode())
    assert await settle_claims(services.database, keys) == 1
    assert await settle_claims(services.database, keys) == 0
    async with services.database.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(AnswerClaim))).scalar() == 0
        assert (await session.execute(still_open)).scalar() == 0
        assert (await session.execute(select(func.count()).select_from(Response))).scalar() == 1
    third = await services.engine.record_score(who, survey_id=prompt.survey_id, score=2)
    assert isinstance(third, Notice) and "already" in third.text


async def test_claims_go_two_settling_runs_after_their_asks_close(services: Services) -> None:
    """A claim outlives its ask's closing by one run, so a request that read the ask as
    open just before it closed still meets the claim; then nothing of it is left."""
    for index in range(3):
        who = someone(index)
        prompt = await services.engine.start(who)
        assert isinstance(prompt, ScorePrompt)
        assert isinstance(
            await services.engine.record_score(who, survey_id=prompt.survey_id, score=7),
            ReasonPrompt,
        )
    keys = PersonKeys(TEST_PEPPER.encode())
    counted = select(func.count()).select_from(AnswerClaim)
    async with services.database.transaction() as session:
        assert (await session.execute(counted)).scalar() == 3
    assert await settle_claims(services.database, keys) == 0  # every ask is closed already
    async with services.database.transaction() as session:
        assert (await session.execute(counted)).scalar() == 3
    await settle_claims(services.database, keys)
    async with services.database.transaction() as session:
        assert (await session.execute(counted)).scalar() == 0


async def test_reports_and_expired_reasons_stamp_answers_only_k_at_a_time(
    services: Services, clock: Clock
) -> None:
    """A report cuts a release step (which stamps every waiting answer) and expiring
    reasons stamps old answers: both go through the pool, so still no answer carries
    a stamp shared by fewer than k."""
    postgres_only(services)
    chance = random.Random(3)
    survey_id = await answer_as_people_do(services, 13, seed=11)
    for index in range(13, 19):
        who = someone(index)
        assert isinstance(await services.engine.start(who), ScorePrompt)
        view = await services.engine.record_score(who, survey_id=survey_id, score=9)
        assert isinstance(view, ReasonPrompt)
        async with services.database.transaction() as session:
            await services.reports.all_reports(
                session, request=ReportRequest(), today=clock().date()
            )
        if chance.random() < 0.5:
            await services.engine.record_reason(
                who, token=view.token, reason=f"author {who.user_id}"
            )
    later = clock().date() + timedelta(days=400)
    async with services.database.transaction() as session:
        assert await expire_reasons(session, answered_before=later) > 0
    sizes: dict[int, int] = {}
    for row in await answers_stamped(services):
        sizes[row.xmin] = sizes.get(row.xmin, 0) + 1
    assert sum(sizes.values()) == 19
    assert min(sizes.values()) >= K, sizes


@pytest.mark.parametrize("people", [3, 10, 23])
async def test_every_rewrite_of_the_pool_keeps_each_answer_and_its_ratings_as_given(
    services: Services, people: int
) -> None:
    """The pool is taken out and written back with every change: each answer must come
    back once with its score, reason and ratings, and the pool must keep k answers once
    it reached 2k (the rest leave it)."""
    chance = random.Random(people)
    engine = services.engine
    opening = await engine.start(someone(0))
    assert isinstance(opening, ScorePrompt)
    given: list[tuple[int, str | None, tuple[tuple[str, int], ...]]] = []
    for index in range(people):
        who = someone(index)
        if index:
            assert isinstance(await engine.start(who), ScorePrompt)
        score = chance.randint(0, 10)
        view = await engine.record_score(who, survey_id=opening.survey_id, score=score)
        assert isinstance(view, ReasonPrompt)
        reason, ratings = None, {}
        if chance.random() < 0.7:
            reason = f"because {index}"
            assert isinstance(
                await engine.record_reason(who, token=view.token, reason=reason), DriverPrompt
            )
            for driver in ("growth", "workload")[: chance.randint(0, 2)]:
                ratings[driver] = chance.randint(1, 5)
                await engine.record_rating(
                    who, token=view.token, driver=driver, rating=ratings[driver]
                )
        given.append((score, reason, tuple(sorted(ratings.items()))))

    async with services.database.engine.connect() as connection:
        answers = (await connection.execute(text("SELECT id, score, reason FROM response"))).all()
        rated = (
            await connection.execute(text("SELECT response_id, driver, rating FROM driver_rating"))
        ).all()
        pooled = (
            await connection.execute(text("SELECT count(*) FROM response WHERE mixing"))
        ).one()
    ratings_of: dict[object, list[tuple[str, int]]] = {}
    for response_id, driver, rating in rated:
        ratings_of.setdefault(response_id, []).append((driver, rating))
    stored = [
        (score, reason, tuple(sorted(ratings_of.get(answer_id, []))))
        for answer_id, score, reason in answers
    ]
    assert sorted(stored, key=repr) == sorted(given, key=repr)
    assert set(ratings_of) <= {answer_id for answer_id, _, _ in answers}
    if services.database.dialect == "postgresql":
        # Below 2k every answer is in the pool; from 2k on, a rewrite leaves k in it, and
        # it grows back towards 2k by one answer, reason or rating at a time.
        assert min(people, K) <= pooled[0] < 2 * K
