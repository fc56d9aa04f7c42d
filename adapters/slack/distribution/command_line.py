"""The command line in distribution mode: a reach to one installed workspace for waves,
and email look-ups in the workspace a roster names, each with that workspace's token."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from adapters.slack.client import build_client
from adapters.slack.distribution.app import sealed_store
from adapters.slack.emails import SlackEmailLookup
from adapters.slack.settings import SlackSettings
from adapters.slack.workspaces import InstalledWorkspaces
from bot.ports.directory import EmailLookup
from bot.ports.reach import Reach
from bot.runtime.context import ConfigurationError, Services


@asynccontextmanager
async def installed_reach(
    services: Services, settings: SlackSettings, *, per_second: float
) -> AsyncIterator[Reach]:
    """A reach to the workspace ``SLACK_TEAM_ID`` names, or to the only installed one.

    Raises `ConfigurationError` when no workspace is installed, when that team is not,
    or when several are and ``SLACK_TEAM_ID`` does not choose.
    """
    installed = await sealed_store(services, settings).installed_bots()
    wanted = settings.team_id
    if wanted is None and len(installed) > 1:
        teams = ", ".join(sorted(bot.team_id for bot in installed))
        raise ConfigurationError(
            f"the app is installed in several workspaces ({teams}): set SLACK_TEAM_ID"
        )
    chosen = [bot for bot in installed if wanted is None or bot.team_id == wanted]
    if not chosen:
        where = f"workspace {wanted}" if wanted else "any workspace"
        raise ConfigurationError(f"the app is not installed in {where} (see /slack/install)")
    workspaces = InstalledWorkspaces(
        base_url=settings.api_base_url,
        admin_ids=settings.admin_user_ids,
        labels=settings.label_rules(),
    )
    bot = chosen[0]
    platform = workspaces.connect(team_id=bot.team_id, bot_token=bot.bot_token)
    # The client opens a short-lived HTTP session per call: nothing to close after.
    pace = services.paces.of(platform="slack", tenant=bot.team_id, per_second=per_second)
    yield Reach(platform=platform, tenant=bot.team_id, per_second=per_second, pace=pace)


@asynccontextmanager
async def installed_email_lookup(
    services: Services, settings: SlackSettings, *, tenant: str
) -> AsyncIterator[EmailLookup]:
    """Email look-ups in workspace ``tenant`` with the bot token its installation stored.

    The roster names its workspace (``--tenant``): the token is chosen by it, never by
    ``SLACK_TEAM_ID`` or by being the only one, so no email is sent to another
    workspace. Raises `ConfigurationError` when the app is not installed there.
    """
    installed = await sealed_store(services, settings).installed_bots()
    chosen = [bot for bot in installed if bot.team_id == tenant]
    if not chosen:
        raise ConfigurationError(
            f"the app is not installed in workspace {tenant} (see /slack/install): "
            "its people cannot be found by email"
        )
    client = build_client(token=chosen[0].bot_token, base_url=settings.api_base_url)
    yield SlackEmailLookup(client, tenant=tenant)
