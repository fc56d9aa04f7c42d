"""People of a workspace never seen before answer at the same moment: the first use sets
the workspace up once, and nobody is refused for having come at the same time."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.runtime.services import Services
from bot.views.common import ReasonPrompt, ScorePrompt
from storage.models import Survey, Tenant
from tests.bot.test_engine import count_responses, person

PEOPLE = 8


async def test_a_new_workspaces_first_people_all_answer_at_once(services: Services) -> None:
    people = [person(f"U{n}", tenant="T-new") for n in range(PEOPLE)]

    prompts = await asyncio.gather(*(services.engine.start(who) for who in people))
    assert all(isinstance(prompt, ScorePrompt) for prompt in prompts), prompts
    views = await asyncio.gather(
        *(
            services.engine.record_score(who, survey_id=prompt.survey_id, score=7)
            for who, prompt in zip(people, prompts, strict=True)
            if isinstance(prompt, ScorePrompt)
        )
    )

    assert all(isinstance(view, ReasonPrompt) for view in views), views
    assert await count_responses(services) == PEOPLE
    async with services.database.transaction() as session:
        tenants = (await session.execute(select(func.count()).select_from(Tenant))).scalar_one()
        surveys = (await session.execute(select(func.count()).select_from(Survey))).scalar_one()
    assert (tenants, surveys) == (1, 1)
