"""A stop waits for interactions in progress, not for prompts and forms left open."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from adapters.discord.expiry import VIEW_EXPIRY_CODE
from adapters.discord.plugin import DiscordPlugin
from bot.ports.reach import Reach
from bot.runtime.context import RuntimeContext
from bot.runtime.reaches import Reaches
from bot.runtime.services import Services
from tests.adapters.discord.test_survey_card import score_button
from tests.adapters.discord.world import ALICE, GUILD, with_token
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_records import MODAL
from tests.support.runtime import runtime_context
from tests.support.waiting import HANG_GUARD_SECONDS


@asynccontextmanager
async def serving(double: DiscordDouble, services: Services) -> AsyncIterator[RuntimeContext]:
    """The plugin served as ``nps-bot run`` serves it, its lifecycle tracking work."""
    ready = asyncio.Event()

    async def announced(reach: Reach) -> None:
        ready.set()

    reaches = Reaches()
    reaches.subscribe(announced)
    context = runtime_context(services, reaches=reaches)
    context.lifecycle.inflight.install(asyncio.get_running_loop())
    plugin = DiscordPlugin(with_token(double.token), guild_ready_timeout=0.05)
    task = asyncio.create_task(plugin.serve(context))
    try:
        async with asyncio.timeout(HANG_GUARD_SECONDS):
            await ready.wait()
        yield context
    finally:
        task.cancel()
        await asyncio.wait({task}, timeout=HANG_GUARD_SECONDS)


async def left_in_flight(context: RuntimeContext) -> int:
    loop = asyncio.get_running_loop()
    return await context.lifecycle.inflight.drain(deadline=loop.time() + HANG_GUARD_SECONDS)


def test_discord_py_still_has_the_wait_that_is_recognised() -> None:
    assert VIEW_EXPIRY_CODE is not None


async def test_an_open_score_prompt_is_not_work_in_flight(
    double: DiscordDouble, services: Services
) -> None:
    async with serving(double, services) as context:
        record = await double.dispatch_interaction(
            double.payloads.slash_command("nps answer", user=ALICE, guild=GUILD)
        )
        prompt = await record.followups.wait_for(0)
        assert score_button(prompt, 7)  # the 0–10 prompt is open, with its buttons

        assert await left_in_flight(context) == 0


async def test_an_open_reason_form_is_not_work_in_flight(
    double: DiscordDouble, services: Services
) -> None:
    async with serving(double, services) as context:
        record = await double.dispatch_interaction(
            double.payloads.slash_command("nps answer", user=ALICE, guild=GUILD)
        )
        prompt = await record.followups.wait_for(0)
        click = await double.dispatch_interaction(
            double.payloads.button_click(
                score_button(prompt, 8), user=ALICE, guild=GUILD, message=prompt.message
            )
        )
        assert (await click.callback()).type == MODAL

        assert await left_in_flight(context) == 0


async def test_an_interaction_in_progress_is_still_waited_for(
    double: DiscordDouble, services: Services
) -> None:
    async with serving(double, services) as context:
        record = await double.dispatch_interaction(
            double.payloads.slash_command("nps answer", user=ALICE, guild=GUILD)
        )
        await record.callback()  # deferred: the handler is running, its answer to come
        assert await left_in_flight(context) == 0
        assert len(record.followups) == 1  # it finished before the drain ended
