"""Command-line waves in distribution mode: a reach to one installed workspace."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from adapters.slack.distribution.app import sealed_store
from adapters.slack.settings import SlackSettings
from adapters.slack.workspaces import InstalledWorkspaces
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
