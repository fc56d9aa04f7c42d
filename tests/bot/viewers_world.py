"""A workspace whose people answer with team labels, an admin, and a lead to share with."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.admin import AdminView
from bot.views.common import ScorePrompt

TENANT = "T0VIEW001"
ADMIN = Person(platform="slack", tenant=TENANT, user_id="U0ADMIN01", is_admin=True)
LEAD = Person(platform="slack", tenant=TENANT, user_id="U0LEAD001")
OTHER = Person(platform="slack", tenant=TENANT, user_id="U0OTHER01")


async def answer(services: Services, teams: Iterable[tuple[str, int]], *, start: int = 0) -> None:
    """One person per (team, score) answers the default survey, carrying the team label."""
    for number, (team, score) in enumerate(teams, start=start):
        person = Person(
            platform="slack",
            tenant=TENANT,
            user_id=f"U0PEER{number:03d}",
            segments={"team": team},
        )
        prompt = await services.engine.start(person)
        assert isinstance(prompt, ScorePrompt)
        await services.engine.record_score(person, survey_id=prompt.survey_id, score=score)


def team(name: str, *scores: int) -> list[tuple[str, int]]:
    return [(name, score) for score in scores]


async def run(services: Services, who: Person, text: str) -> AdminView:
    """``/nps <text>`` for ``who``, through the one dispatcher every platform uses."""
    return await services.commands.handle(who, text)


def mention(person: Person) -> str:
    return f"<@{person.user_id}>"
