"""The Bolt `AsyncApp` factory: one app, every listener, for HTTP and Socket Mode alike."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.deps import SLACK_MESSAGES_PER_SECOND, Deps
from adapters.slack.labels import SlackLabelRules, label_sources
from adapters.slack.listeners import (
    action_form,
    admin,
    commands,
    drivers,
    home,
    messages,
    reason,
    replies,
    survey,
)
from adapters.slack.observe import handle_listener_errors
from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform
from adapters.slack.startup import bolt_logger
from adapters.slack.workspaces import OneWorkspace
from bot.runtime.context import Services

log = logging.getLogger(__name__)

RETRY_HEADER = "x-slack-retry-num"
APP_NAME = "nps-bot"
"""The name every Bolt app of ours is given. Bolt names an unnamed app after its caller's
file through ``inspect.stack()``, which reads the source of every file on the call stack
into ``linecache`` and keeps it there for the life of the process (about 1 MB held idle
for a name nobody reads)."""


def create_app(
    services: Services,
    *,
    client: AsyncWebClient,
    signing_secret: str | None,
    admin_ids: Collection[str],
    labels: SlackLabelRules | None = None,
    team_id: str | None = None,
    per_second: float = SLACK_MESSAGES_PER_SECOND,
) -> tuple[AsyncApp, SlackPlatform]:
    """The app answering Slack's requests, and the `Platform` sharing its client.

    ``signing_secret`` is required for HTTP mode (Bolt answers 401 to any request it
    cannot verify); pass None in Socket Mode, where Slack's socket authenticates.
    ``admin_ids`` (``SLACK_ADMIN_USER_IDS``) are admins besides workspace admins and owners.
    ``labels`` say which user groups and profile fields label a person; the platform owns
    their look-ups and cache. ``team_id``, when known, saves the platform's `auth.test`;
    ``per_second`` paces the waves that ``/nps`` commands send.
    """
    people = SlackPeople(client, admin_ids=admin_ids, labels=label_sources(client, labels))
    platform = SlackPlatform(client, people=people, team_id=team_id)
    app = AsyncApp(
        name=APP_NAME,
        client=client,
        signing_secret=signing_secret or "",
        request_verification_enabled=signing_secret is not None,
        logger=bolt_logger("adapters.slack.bolt"),
    )
    register_listeners(
        app,
        Deps(
            engine=services.engine,
            workspaces=OneWorkspace(platform),
            admin=services.admin,
            commands=services.commands,
            paces=services.paces,
            per_second=per_second,
        ),
    )
    return app, platform


def register_listeners(app: AsyncApp, deps: Deps) -> None:
    """Every listener: the survey, the reason form, driver ratings, replies, ``/nps``, survey
    administration, the Home tab and messages typed in the Messages tab."""
    app.middleware(skip_event_redeliveries)
    handle_listener_errors(app)
    for listeners in (
        commands,
        survey,
        reason,
        drivers,
        replies,
        home,
        admin,
        action_form,
        messages,
    ):
        listeners.register(app, deps)


async def skip_event_redeliveries(
    request: AsyncBoltRequest, next: Callable[[], Awaitable[None]]
) -> BoltResponse | None:
    """Acknowledge a redelivered event without handling it again.

    Slack redelivers an event when the first ack was late; the first delivery is
    already being handled, and Bolt does not deduplicate. Interactions are not
    skipped: the engine makes each of them idempotent instead.
    """
    if request.headers.get(RETRY_HEADER) and request.body.get("type") == "event_callback":
        log.info("acknowledged a redelivered event without handling it again")
        return BoltResponse(status=200, body="")
    await next()
    return None
