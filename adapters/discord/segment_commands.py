"""``/nps segments map|unmap|list``: which roles label their members' answers.

``map role:@Engineering label:team value:eng`` makes the members holding that role
answer with ``team=eng`` (the value defaults to the role's name); a member holding
several roles mapped to one label counts under the highest of them. Like survey
administration, each subcommand is guarded by a discord.py app-command check (answered
by the group's error handler) and again by the use case.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from adapters.discord.admin_commands import NotSurveyAdmin, Text, is_survey_admin
from adapters.discord.admin_components import admin_person
from adapters.discord.components import reply
from adapters.discord.people import services_of
from bot.domain.labels import LABEL_LIMIT
from bot.views.common import Notice, Tone

log = logging.getLogger(__name__)

Label = app_commands.Range[str, 1, 32]
Value = app_commands.Range[str, 1, LABEL_LIMIT]


def segments_group(nps: app_commands.Group, text: Text) -> app_commands.Group:
    """Put ``/nps segments`` and its subcommands on ``nps``."""
    segments = app_commands.Group(
        name="segments", description=text("segments.discord.command"), parent=nps
    )

    @segments.error
    async def refused(
        interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        if not isinstance(error, NotSurveyAdmin):
            log.error("a /nps segments command failed", exc_info=error)
            return
        person = admin_person(interaction)
        t = services_of(interaction).engine.translator(person)
        refusal = Notice(t("segments.not_allowed"), Tone.WARNING)
        await reply(interaction, refusal, tenant=person.tenant)

    @segments.command(name="map", description=text("segments.discord.map"))
    @app_commands.check(is_survey_admin)
    @app_commands.describe(
        role=text("segments.discord.option.role"),
        label=text("segments.discord.option.label"),
        value=text("segments.discord.option.value"),
    )
    async def map_(
        interaction: discord.Interaction[Any],
        role: discord.Role,
        label: Label,
        value: Value | None = None,
    ) -> None:
        person = admin_person(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        view = await services_of(interaction).role_labels.map_role(
            person, role_id=str(role.id), role_name=role.name, label=label, value=value
        )
        await reply(interaction, view, tenant=person.tenant)

    @segments.command(name="unmap", description=text("segments.discord.unmap"))
    @app_commands.check(is_survey_admin)
    @app_commands.describe(role=text("segments.discord.option.role"))
    async def unmap(interaction: discord.Interaction[Any], role: discord.Role) -> None:
        person = admin_person(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        view = await services_of(interaction).role_labels.unmap_role(
            person, role_id=str(role.id), role_name=role.name
        )
        await reply(interaction, view, tenant=person.tenant)

    @segments.command(name="list", description=text("segments.discord.list"))
    @app_commands.check(is_survey_admin)
    async def list_(interaction: discord.Interaction[Any]) -> None:
        person = admin_person(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild = interaction.guild
        names = {str(role.id): role.name for role in guild.roles} if guild is not None else {}
        view = await services_of(interaction).role_labels.list_roles(person, role_names=names)
        await reply(interaction, view, tenant=person.tenant)

    return segments
