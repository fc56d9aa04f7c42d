"""``/nps survey share|unshare|shares``: one group's report of a survey for one member.

Guarded like every administration command: the app-command check refuses non-admins
before the callback runs (the ``survey`` group's error handler answers), and the use
case checks again. The member is a typed option, so its id comes from Discord, never
from parsed text; the label and its value are two string options.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str

from adapters.discord.admin_commands import Name, is_survey_admin
from adapters.discord.admin_components import admin_person, shown
from adapters.discord.components import reply
from adapters.discord.people import services_of
from bot.domain.commands import ShareAction, ShareCommand
from bot.domain.labels import LABEL_LIMIT

Label = app_commands.Range[str, 1, LABEL_LIMIT]
Value = app_commands.Range[str, 1, LABEL_LIMIT]


def add_share_commands(survey: app_commands.Group, text: Callable[[str], locale_str]) -> None:
    """Put ``share``, ``unshare`` and ``shares`` on ``/nps survey``."""

    @survey.command(name="share", description=text("viewers.discord.share"))
    @app_commands.check(is_survey_admin)
    @app_commands.describe(
        name=text("admin.discord.option.name"),
        member=text("viewers.discord.option.member"),
        label=text("viewers.discord.option.label"),
        value=text("viewers.discord.option.value"),
    )
    async def share(
        interaction: discord.Interaction[Any],
        name: Name,
        member: discord.Member,
        label: Label,
        value: Value,
    ) -> None:
        command = ShareCommand(
            ShareAction.SHARE, survey=name, viewer=str(member.id), group=(label, value)
        )
        await _run(interaction, command)

    @survey.command(name="unshare", description=text("viewers.discord.unshare"))
    @app_commands.check(is_survey_admin)
    @app_commands.describe(
        name=text("admin.discord.option.name"), member=text("viewers.discord.option.member")
    )
    async def unshare(
        interaction: discord.Interaction[Any], name: Name, member: discord.Member
    ) -> None:
        await _run(
            interaction, ShareCommand(ShareAction.REVOKE, survey=name, viewer=str(member.id))
        )

    @survey.command(name="shares", description=text("viewers.discord.shares"))
    @app_commands.check(is_survey_admin)
    @app_commands.describe(name=text("admin.discord.option.name"))
    async def shares(interaction: discord.Interaction[Any], name: Name) -> None:
        await _run(interaction, ShareCommand(ShareAction.LIST, survey=name))


async def _run(interaction: discord.Interaction[Any], command: ShareCommand) -> None:
    """Defer privately, run ``command`` for the admin behind ``interaction``, reply."""
    person = admin_person(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    view = await services_of(interaction).commands.run(person, command)
    await reply(interaction, shown(view), tenant=person.tenant)
