"""Metrics counted from real sources: database commits, scheduler job events, delivery reports."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.domain.people import Person
from bot.runtime.metrics import Metrics
from bot.runtime.services import Services
from bot.usecases.waves.delivery import DeliveryReport
from bot.views.common import ReasonPrompt, ScorePrompt
from storage.answers import insert_response
from storage.models import Survey
from tests.support.waiting import HANG_GUARD_SECONDS


def value(metrics: Metrics, name: str, labels: dict[str, str] | None = None) -> float:
    found = metrics.registry.get_sample_value(name, labels or {})
    return 0.0 if found is None else found


async def a_survey(services: Services) -> tuple[uuid.UUID, uuid.UUID]:
    """The (tenant id, survey id) the engine sets up when someone is first asked."""
    prompt = await services.engine.start(Person(platform="test", tenant="T1", user_id="U0"))
    assert isinstance(prompt, ScorePrompt)
    async with services.database.transaction() as session:
        survey = await session.get(Survey, uuid.UUID(prompt.survey_id))
        assert survey is not None
        return survey.tenant_id, survey.id


async def store(services: Services, ids: tuple[uuid.UUID, uuid.UUID], *, fail: bool) -> None:
    tenant_id, survey_id = ids
    async with services.database.transaction() as session:
        await insert_response(
            session,
            tenant_id=tenant_id,
            survey_id=survey_id,
            wave_id=None,
            score=9,
            segments={},
            answered_on=date(2026, 1, 5),
        )
        if fail:
            raise RuntimeError("the transaction fails after the insert")


async def test_answers_count_on_commit_and_not_on_rollback(services: Services) -> None:
    metrics = Metrics()
    metrics.watch_database(services.database)
    ids = await a_survey(services)

    await store(services, ids, fail=False)
    with pytest.raises(RuntimeError):
        await store(services, ids, fail=True)
    await store(services, ids, fail=False)

    assert value(metrics, "nps_bot_answers_stored_total") == 2


async def test_answers_through_the_engine_are_counted(services: Services) -> None:
    metrics = Metrics()
    metrics.watch_database(services.database)
    person = Person(platform="test", tenant="T1", user_id="U1", locale="en")
    prompt = await services.engine.start(person)
    assert isinstance(prompt, ScorePrompt)

    answer = await services.engine.record_score(person, survey_id=prompt.survey_id, score=3)
    assert value(metrics, "nps_bot_answers_stored_total") == 1
    again = await services.engine.record_score(person, survey_id=prompt.survey_id, score=3)

    assert isinstance(answer, ReasonPrompt)
    assert not isinstance(again, ReasonPrompt)
    assert value(metrics, "nps_bot_answers_stored_total") == 1


async def test_each_answer_counts_once_whatever_the_mixing_pool_rewrites(
    services: Services,
) -> None:
    # On PostgreSQL every answer rewrites its survey's mixing pool with it: the answers
    # written back are not new, and counting inserted rows counted them again.
    metrics = Metrics()
    metrics.watch_database(services.database)
    for n in range(4):
        person = Person(platform="test", tenant="T1", user_id=f"U{n}", locale="en")
        prompt = await services.engine.start(person)
        assert isinstance(prompt, ScorePrompt)
        answer = await services.engine.record_score(person, survey_id=prompt.survey_id, score=n)
        assert isinstance(answer, ReasonPrompt)
    assert value(metrics, "nps_bot_answers_stored_total") == 4


def test_delivery_reports_add_up_by_outcome() -> None:
    metrics = Metrics()
    metrics.count_delivery(DeliveryReport(sent=3, failed=1, released=0))
    metrics.count_delivery(DeliveryReport(sent=2, failed=0, released=4))

    assert value(metrics, "nps_bot_invitations_total", {"outcome": "sent"}) == 5
    assert value(metrics, "nps_bot_invitations_total", {"outcome": "failed"}) == 1
    assert value(metrics, "nps_bot_invitations_total", {"outcome": "released"}) == 4


async def test_job_runs_are_counted_by_kind_and_outcome() -> None:
    metrics = Metrics()
    scheduler = AsyncIOScheduler(timezone="UTC")
    metrics.watch_scheduler(scheduler)
    # Listeners run in the order they were added: when this one hears of the three
    # runs, the metrics' listener has counted them. No wall-clock wait is involved.
    finished: set[str] = set()
    all_ran = asyncio.Event()

    def ran(event: JobExecutionEvent) -> None:
        finished.add(str(event.job_id).split(":", 1)[0])
        if finished >= {"open", "tick", "retention"}:
            all_ran.set()

    scheduler.add_listener(ran, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    async def fine() -> None:
        return None

    async def broken() -> None:
        raise RuntimeError("job failed")

    scheduler.add_job(fine, id=f"open:{uuid.uuid4()}")
    scheduler.add_job(fine, id="tick")
    scheduler.start()
    try:
        scheduler.add_job(broken, id="retention")
        await asyncio.wait_for(all_ran.wait(), timeout=HANG_GUARD_SECONDS)
    finally:
        scheduler.shutdown(wait=False)

    assert value(metrics, "nps_bot_job_runs_total", {"job": "open", "outcome": "ok"}) == 1
    assert value(metrics, "nps_bot_job_runs_total", {"job": "tick", "outcome": "ok"}) == 1
    assert value(metrics, "nps_bot_job_runs_total", {"job": "retention", "outcome": "error"}) == 1


def test_two_instances_never_share_numbers() -> None:
    first, second = Metrics(), Metrics()
    first.observe_request(platform="slack", seconds=0.01, error="http_401")

    assert value(first, "nps_bot_platform_errors_total", {"platform": "slack", "kind": "http_401"})
    assert b"http_401" not in second.render()


def test_counts_before_the_first_scrape_are_in_it_and_later_ones_add_to_it() -> None:
    metrics = Metrics()
    metrics.count_delivery(DeliveryReport(sent=2, failed=0, released=0))
    metrics.count_platform_error(platform="slack", kind="network")

    first = metrics.render().decode()
    assert 'nps_bot_invitations_total{outcome="sent"} 2.0' in first
    # A series counted zero is listed at zero, as one added to directly would be.
    assert 'nps_bot_invitations_total{outcome="released"} 0.0' in first
    assert 'nps_bot_platform_errors_total{kind="network",platform="slack"} 1.0' in first
    assert "nps_bot_answers_stored_total 0.0" in first

    metrics.count_delivery(DeliveryReport(sent=1, failed=1, released=0))
    metrics.count_platform_error(platform="slack", kind="network")
    assert value(metrics, "nps_bot_invitations_total", {"outcome": "sent"}) == 3
    assert value(metrics, "nps_bot_invitations_total", {"outcome": "failed"}) == 1
    errors = {"platform": "slack", "kind": "network"}
    assert value(metrics, "nps_bot_platform_errors_total", errors) == 2
