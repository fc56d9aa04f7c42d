"""``/nps actions list|add|update|preview``: a survey's action plan from Discord.

Typed options build the same :class:`~bot.domain.commands.ActionsCommand` the text
grammar does, so the use case decides who may do what (admins; scoped viewers for their
own group; ``preview`` for admins only) with the refusal every platform gives. The
owner is a member option, so their id comes from Discord, never from parsed text. An
``add`` or ``update`` without any option answers with how to give them, as Discord
shows no such form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str

from adapters.discord.admin_components import admin_person, shown
from adapters.discord.components import reply
from adapters.discord.people import services_of
from bot.domain.actions import ActionStatus
from bot.domain.commands import ActionsCommand, ActionsVerb

Title = app_commands.Range[str, 1, 120]
Due = app_commands.Range[str, 10, 10]
Subject = app_commands.Range[str, 1, 64]
NoteText = app_commands.Range[str, 0, 1000]
Number = app_commands.Range[int, 1, 999999]


def actions_group(nps: app_commands.Group, text: Callable[[str], locale_str]) -> None:
    """Put the ``actions`` group on ``/nps``."""
    group = app_commands.Group(
        name="actions", description=text("actions.discord.group"), parent=nps
    )
    statuses = [
        app_commands.Choice(name=text(f"actions.status.{status.value}"), value=status.value)
        for status in ActionStatus
    ]
    options = {
        "survey": text("admin.discord.option.survey"),
        "title": text("actions.field.title"),
        "owner": text("actions.field.owner"),
        "due": text("actions.hint.due"),
        "status": text("actions.field.status"),
        "theme": text("actions.field.theme"),
        "driver": text("actions.field.driver"),
        "note": text("actions.field.note"),
    }

    @group.command(name="list", description=text("actions.discord.list"))
    @app_commands.describe(survey=options["survey"])
    async def listing(interaction: discord.Interaction[Any], survey: str | None = None) -> None:
        await _run(interaction, ActionsCommand(ActionsVerb.LIST, survey=survey or None))

    @group.command(name="add", description=text("actions.discord.add"))
    @app_commands.describe(**{key: options[key] for key in options if key != "status"})
    async def add(
        interaction: discord.Interaction[Any],
        title: Title,
        owner: discord.Member,
        due: Due,
        survey: str | None = None,
        theme: Subject | None = None,
        driver: Subject | None = None,
        note: NoteText | None = None,
    ) -> None:
        given = {"title": title, "owner": str(owner.id), "due": due}
        given |= {k: v for k, v in (("theme", theme), ("driver", driver), ("note", note)) if v}
        await _run(
            interaction, ActionsCommand(ActionsVerb.ADD, survey=survey or None, options=given)
        )

    @group.command(name="update", description=text("actions.discord.update"))
    @app_commands.describe(number=text("actions.discord.option.number"), **options)
    @app_commands.choices(status=statuses)
    async def update(
        interaction: discord.Interaction[Any],
        number: Number,
        survey: str | None = None,
        status: str | None = None,
        title: Title | None = None,
        owner: discord.Member | None = None,
        due: Due | None = None,
        theme: Subject | None = None,
        driver: Subject | None = None,
        note: NoteText | None = None,
    ) -> None:
        typed = {
            "status": status,
            "title": title,
            "owner": str(owner.id) if owner else None,
            "due": due,
            "theme": theme,
            "driver": driver,
            "note": note,
        }
        given = {key: value for key, value in typed.items() if value is not None}
        command = ActionsCommand(
            ActionsVerb.UPDATE, survey=survey or None, number=number, options=given or None
        )
        await _run(interaction, command)

    @group.command(name="preview", description=text("actions.discord.preview"))
    @app_commands.describe(survey=options["survey"], text=text("actions.discord.option.text"))
    async def preview(
        interaction: discord.Interaction[Any],
        survey: str | None = None,
        text: app_commands.Range[str, 1, 600] | None = None,
    ) -> None:
        given = {"set_text": text} if text else None
        await _run(
            interaction,
            ActionsCommand(ActionsVerb.PREVIEW, survey=survey or None, options=given),
        )


async def _run(interaction: discord.Interaction[Any], command: ActionsCommand) -> None:
    """Defer privately, run ``command`` for the person behind ``interaction``, reply."""
    person = admin_person(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    view = await services_of(interaction).commands.run(person, command)
    await reply(interaction, shown(view), tenant=person.tenant)
