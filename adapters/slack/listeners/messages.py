"""A message typed to the app in its Messages tab: say how to answer, in the person's words.

Answers come from the question's buttons, so a typed message is never read as one and
is never shown again (nothing anyone typed is echoed). Messages from bots (the app's own
replies included), edits and other subtypes are left alone, so two apps never answer
each other.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.deps import Deps
from adapters.slack.render import message

DIRECT = "im"


def register(app: AsyncApp, deps: Deps) -> None:
    @app.event("message")
    async def typed(
        event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        if not _typed_by_a_person_in_a_dm(event):
            return
        person = await deps.person(str(event["user"]), context)
        view = deps.engine.typed_to_the_app(person)
        await client.chat_postMessage(channel=str(event["channel"]), **message(view).as_kwargs())


def _typed_by_a_person_in_a_dm(event: dict[str, Any]) -> bool:
    return (
        event.get("channel_type") == DIRECT
        and not event.get("subtype")
        and not event.get("bot_id")
        and isinstance(event.get("user"), str)
        and isinstance(event.get("channel"), str)
    )
