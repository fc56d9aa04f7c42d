"""Optional driver questions after the reason, against a real database (SQLite and
PostgreSQL): asked only when the survey has them, one rating per answer and driver,
refused with nothing stored on bad input or someone else's token."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.runtime.services import Services, build_services
from bot.runtime.settings import Settings
from bot.views.common import DriverPrompt, Notice, ReasonPrompt, Tone
from storage.models import DriverRating
from tests.bot.test_engine import _tampered, answer, person
from tests.conftest import TEST_PEPPER, SchemaTemplates
from tests.storage.test_anonymity import dump_all_text
from tests.support.clock import Clock

DRIVERS = "growth=Growth,manager=My manager,workload=Workload"


@pytest.fixture
async def services(
    database_url: str, clock: Clock, schema_templates: SchemaTemplates
) -> AsyncIterator[Services]:
    """Services whose default survey asks three driver questions."""
    settings = Settings(
        _env_file=None, database_url=database_url, nps_pepper=TEST_PEPPER, survey_drivers=DRIVERS
    )
    await schema_templates.fill(database_url)
    built = await build_services(settings, migrate=True, clock=clock)
    try:
        yield built
    finally:
        await built.database.dispose()


async def stored_ratings(services: Services) -> list[tuple[str, int]]:
    async with services.database.transaction() as session:
        rows = await session.execute(select(DriverRating.driver, DriverRating.rating))
        return sorted((str(driver), int(rating)) for driver, rating in rows.all())


async def drivers_after_reason(
    services: Services, user: str = "U1", reason: str | None = "Good team"
) -> DriverPrompt:
    who = person(user)
    view = await answer(services, who, 8)
    prompt = await services.engine.record_reason(who, token=view.token, reason=reason)
    assert isinstance(prompt, DriverPrompt)
    return prompt


async def test_after_the_reason_the_driver_questions_follow(services: Services) -> None:
    prompt = await drivers_after_reason(services)
    assert prompt.recorded == "Thank you! Your answer and your reason are recorded anonymously."
    assert prompt.intro.startswith("Optional:")
    assert (prompt.low_label, prompt.high_label) == ("1 = poor", "5 = excellent")
    assert [(d.key, d.label, d.chosen) for d in prompt.drivers] == [
        ("growth", "Growth", None),
        ("manager", "My manager", None),
        ("workload", "Workload", None),
    ]
    assert prompt.scale == (1, 2, 3, 4, 5)


async def test_a_skipped_reason_still_leads_to_the_driver_questions(services: Services) -> None:
    prompt = await drivers_after_reason(services, reason=None)
    assert prompt.recorded == "Thank you! Your answer is recorded anonymously."


async def test_japanese_driver_questions(services: Services) -> None:
    who = person("U-ja", locale="ja-JP")
    view = await answer(services, who, 9)
    prompt = await services.engine.record_reason(who, token=view.token, reason="")
    assert isinstance(prompt, DriverPrompt)
    assert prompt.intro.startswith("任意")
    assert prompt.high_label == "5 = とても良い"


async def test_a_rating_is_stored_and_a_second_click_changes_it(services: Services) -> None:
    who = person()
    prompt = await drivers_after_reason(services)
    first = await services.engine.record_rating(who, token=prompt.token, driver="growth", rating=2)
    again = await services.engine.record_rating(who, token=prompt.token, driver="growth", rating=5)
    assert isinstance(first, DriverPrompt) and isinstance(again, DriverPrompt)
    assert first.recorded == "Saved: Growth 2/5."
    assert [d.chosen for d in again.drivers] == [5, None, None]
    assert again.token == prompt.token
    assert await stored_ratings(services) == [("growth", 5)]


async def test_a_driver_may_be_named_by_its_position(services: Services) -> None:
    who = person()
    prompt = await drivers_after_reason(services)
    view = await services.engine.record_rating(who, token=prompt.token, driver=2, rating="3")
    assert isinstance(view, DriverPrompt)
    assert [d.chosen for d in view.drivers] == [None, None, 3]
    assert await stored_ratings(services) == [("workload", 3)]


@pytest.mark.parametrize("rating", [0, 6, -1, "x", "", "2.5", 2.5, True, None, "٣"])
async def test_ratings_outside_one_to_five_are_refused(services: Services, rating: object) -> None:
    prompt = await drivers_after_reason(services)
    view = await services.engine.record_rating(
        person(), token=prompt.token, driver="growth", rating=rating
    )
    assert isinstance(view, Notice) and view.tone is Tone.ERROR and view.retry
    assert view.text == "Please answer with a whole number from 1 to 5."
    assert await stored_ratings(services) == []


@pytest.mark.parametrize("driver", ["pay", "Growth", "", 3, -1])
async def test_drivers_the_survey_does_not_ask_are_refused(
    services: Services, driver: str | int
) -> None:
    prompt = await drivers_after_reason(services)
    view = await services.engine.record_rating(
        person(), token=prompt.token, driver=driver, rating=4
    )
    assert isinstance(view, Notice) and view.tone is Tone.ERROR and not view.retry
    assert await stored_ratings(services) == []


async def test_someone_elses_or_a_forged_token_cannot_rate(services: Services) -> None:
    prompt = await drivers_after_reason(services, "alice")
    engine = services.engine
    attempts = [
        await engine.record_rating(person("mallory"), token=prompt.token, driver=0, rating=1),
        await engine.record_rating(
            person("alice"), token=_tampered(prompt.token), driver=0, rating=1
        ),
        await engine.record_rating(person("alice"), token="not-a-token", driver=0, rating=1),
        # The same user id in another workspace is another person.
        await engine.record_rating(
            person("alice", tenant="T2"), token=prompt.token, driver=0, rating=1
        ),
    ]
    for refused in attempts:
        assert isinstance(refused, Notice) and refused.tone is Tone.ERROR
    assert await stored_ratings(services) == []


async def test_a_rating_after_the_token_expired_is_refused(
    services: Services, clock: Clock
) -> None:
    prompt = await drivers_after_reason(services)
    clock.advance(days=15)
    late = await services.engine.record_rating(person(), token=prompt.token, driver=0, rating=4)
    assert isinstance(late, Notice) and late.text.startswith("These questions can no longer")
    assert await stored_ratings(services) == []


async def test_concurrent_clicks_leave_one_rating_per_driver(services: Services) -> None:
    prompt = await drivers_after_reason(services)
    views = await asyncio.gather(
        *(
            services.engine.record_rating(person(), token=prompt.token, driver="manager", rating=r)
            for r in (1, 2, 3, 4, 5, 4, 3)
        )
    )
    assert all(isinstance(view, DriverPrompt) for view in views)
    [(driver, rating)] = await stored_ratings(services)
    assert driver == "manager" and 1 <= rating <= 5


async def test_each_answer_keeps_its_own_ratings(services: Services) -> None:
    first = await drivers_after_reason(services, "U-a")
    second = await drivers_after_reason(services, "U-b")
    await services.engine.record_rating(person("U-a"), token=first.token, driver=0, rating=1)
    view = await services.engine.record_rating(
        person("U-b"), token=second.token, driver=0, rating=5
    )
    assert isinstance(view, DriverPrompt) and view.drivers[0].chosen == 5
    assert await stored_ratings(services) == [("growth", 1), ("growth", 5)]


async def test_the_reason_prompt_is_unchanged_without_driver_questions(
    database_url: str, clock: Clock
) -> None:
    settings = Settings(_env_file=None, database_url=database_url, nps_pepper=TEST_PEPPER)
    built = await build_services(settings, migrate=True, clock=clock)
    try:
        view = await answer(built, person(), 9)
        assert isinstance(view, ReasonPrompt)
        thanks = await built.engine.record_reason(person(), token=view.token, reason=None)
        assert isinstance(thanks, Notice) and thanks.tone is Tone.SUCCESS
        refused = await built.engine.record_rating(person(), token=view.token, driver=0, rating=3)
        assert isinstance(refused, Notice) and refused.tone is Tone.ERROR
    finally:
        await built.database.dispose()


async def test_ratings_name_no_one_in_the_stored_data(services: Services) -> None:
    prompt = await drivers_after_reason(services, "U-zelda-unique")
    await services.engine.record_rating(
        person("U-zelda-unique"), token=prompt.token, driver="manager", rating=4
    )
    dump = await dump_all_text(services)
    assert "U-zelda-unique" not in dump and "zelda" not in dump
    assert prompt.token not in dump  # the token lives only with the person
