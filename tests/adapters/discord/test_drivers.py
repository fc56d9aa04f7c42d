"""Driver questions in Discord through the real discord.py client and the gateway/REST
double: after the reason modal, an ephemeral message with a row of 1–5 buttons per
driver; a click stores the rating and shows it chosen; nobody else can rate."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.runtime.services import Services
from bot.runtime.settings import Settings
from storage.models import DriverRating
from tests.adapters.discord.test_survey_card import open_prompt, post_card, score_button
from tests.adapters.discord.world import ALICE, BOB, GUILD, connected
from tests.conftest import TEST_PEPPER
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_records import CHANNEL_MESSAGE, UPDATE_MESSAGE, InteractionCallback

RATE_ID = re.compile(r"nps:rate:[0-9a-z]+:(\d):(\d):[0-9A-Za-z_\-]+")
PRIMARY, SECONDARY = 1, 2


@pytest.fixture
def settings(database_url: str) -> Settings:
    """The shared services' settings, with driver questions for the default survey."""
    return Settings(
        _env_file=None,
        database_url=database_url,
        nps_pepper=TEST_PEPPER,
        survey_drivers="growth=Growth,manager=[My](https://x.example) @everyone",
    )


async def stored(services: Services) -> list[tuple[str, int]]:
    async with services.database.transaction() as session:
        rows = await session.execute(select(DriverRating.driver, DriverRating.rating))
        return sorted((str(d), int(r)) for d, r in rows.all())


async def drivers_after_reason(double: DiscordDouble) -> InteractionCallback:
    """Alice scores 8 and sends a reason; the ephemeral answer to her modal."""
    prompt = await open_prompt(double, await post_card(double))
    click = await double.dispatch_interaction(
        double.payloads.button_click(
            score_button(prompt, 8), user=ALICE, guild=GUILD, message=prompt.message
        )
    )
    modal = await click.callback()
    submit = await double.dispatch_interaction(
        double.payloads.modal_submit(
            modal.data["custom_id"], values={"reason": "Fine"}, user=ALICE, guild=GUILD
        )
    )
    return await submit.callback()


def rating_id(custom_ids: list[str], *, driver: int, rating: int) -> str:
    return next(
        c
        for c in custom_ids
        if (m := RATE_ID.fullmatch(c)) and (int(m[1]), int(m[2])) == (driver, rating)
    )


async def test_a_row_of_buttons_per_driver_and_a_click_marks_the_rating(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services):
        asked = await drivers_after_reason(double)
        ids = asked.message.custom_ids()
        first = await double.dispatch_interaction(
            double.payloads.button_click(
                rating_id(ids, driver=1, rating=4), user=ALICE, guild=GUILD
            )
        )
        marked = await first.callback()
        second = await double.dispatch_interaction(
            double.payloads.button_click(
                rating_id(ids, driver=1, rating=2), user=ALICE, guild=GUILD
            )
        )
        changed = await second.callback()

    assert asked.type == CHANNEL_MESSAGE and asked.message.ephemeral
    assert asked.message.allowed_mentions == {"parse": []}
    rows = asked.message.components
    assert [[b["label"] for b in row["components"]] for row in rows] == [
        ["1", "2", "3", "4", "5"]
    ] * 2
    content = str(asked.message.content)
    assert "Thank you! Your answer and your reason are recorded anonymously." in content
    assert "Optional: how do you rate the following, from 1 to 5?" in content
    assert "1. Growth: –" in content
    # An admin's label is shown inert: no link, no mass mention.
    assert "@everyone" not in content and "](https://" not in content
    assert all(len(c) <= 100 and str(ALICE.id) not in c for c in ids)

    assert marked.type == UPDATE_MESSAGE
    assert "Saved: " in marked.data["content"] and ": 4" in marked.data["content"]
    styles = [b["style"] for b in marked.data["components"][1]["components"]]
    assert styles == [SECONDARY, SECONDARY, SECONDARY, PRIMARY, SECONDARY]
    assert changed.type == UPDATE_MESSAGE
    assert await stored(services) == [("manager", 2)]


async def test_someone_else_or_a_forged_token_cannot_rate(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services):
        asked = await drivers_after_reason(double)
        button = rating_id(asked.message.custom_ids(), driver=0, rating=5)
        token = button.rsplit(":", 1)[1]
        middle = len(token) // 2
        forged = token[:middle] + ("B" if token[middle] != "B" else "C") + token[middle + 1 :]
        answers = []
        for user, custom_id in ((BOB, button), (ALICE, button.replace(token, forged))):
            click = await double.dispatch_interaction(
                double.payloads.button_click(custom_id, user=user, guild=GUILD)
            )
            answers.append(await click.callback())
    for refused in answers:
        assert refused.type == CHANNEL_MESSAGE and refused.message.ephemeral
        assert "These questions can no longer be answered." in str(refused.message.content)
    assert await stored(services) == []
