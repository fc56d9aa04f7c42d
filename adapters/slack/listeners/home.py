"""The App Home tab: published when opened, and its two buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import actions
from adapters.slack.deps import Deps
from adapters.slack.surfaces import home_tab
from bot.domain.people import Person
from bot.ports.platform import DeliveryFailed
from bot.views.common import HomeView, Notice

HOME_TAB = "home"


def register(app: AsyncApp, deps: Deps) -> None:
    async def publish(client: AsyncWebClient, person: Person) -> None:
        view = await deps.engine.home(person)
        if isinstance(view, HomeView | Notice):
            await client.views_publish(user_id=person.user_id, view=home_tab(view))

    @app.event("app_home_opened")
    async def opened(
        event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        if event.get("tab") != HOME_TAB:
            return
        await publish(client, await deps.person(str(event["user"]), context))

    @app.action(actions.HOME_TOGGLE_ACTION)
    async def toggle(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        person = await deps.sender(body, context)
        if action.get("value") == actions.OPT_IN:
            await deps.engine.opt_in(person)
        else:
            await deps.engine.opt_out(person)
        await publish(client, person)

    @app.action(actions.HOME_ANSWER_ACTION)
    async def answer(ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack()
        person = await deps.sender(body, context)
        view = await deps.engine.start(person)
        try:
            await deps.platform(context).send_direct(person.user_id, view)
        except DeliveryFailed:
            # Nowhere else to say it from the Home tab; the engine kept nothing half-done.
            return
