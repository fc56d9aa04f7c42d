"""``/nps survey create|edit|list|start|close|delete``: survey administration with typed options.

Each command is guarded twice: a discord.py app-command check refuses non-admins before
the callback runs (answered by the ``survey`` group's error handler, in their language),
and the use case checks again. The audience is a role (``@everyone`` when none is
given), the digest and alert channels are channel options, and numbers are integer
options bounded like the use case's form, so Discord itself refuses what is out of range.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str

from adapters.discord.admin_components import admin_person, delete_question, shown
from adapters.discord.components import reply
from adapters.discord.people import admin_roles_of, services_of
from adapters.discord.reach import guild_reach
from bot.domain.commands import SurveyAction, SurveyCommand
from bot.i18n import SUPPORTED
from bot.ports.reach import Reach
from bot.views.admin import Audience, DeleteConfirmation, Setting
from bot.views.survey_form import BOUNDS, KINDS

log = logging.getLogger(__name__)

Text = Callable[[str], locale_str]

WindowDays = app_commands.Range[int, BOUNDS[Setting.WINDOW_DAYS][0], BOUNDS[Setting.WINDOW_DAYS][1]]
Reminders = app_commands.Range[int, BOUNDS[Setting.REMINDERS][0], BOUNDS[Setting.REMINDERS][1]]
K = app_commands.Range[int, BOUNDS[Setting.K_MIN][0], BOUNDS[Setting.K_MIN][1]]
Name = app_commands.Range[str, 1, 64]
Subject = app_commands.Range[str, 0, 200]
Drivers = app_commands.Range[str, 1, 400]
"""Up to five ``key=Label`` pairs: 32 + 1 + 40 characters each, with separators."""


class NotSurveyAdmin(app_commands.CheckFailure):
    """The person is not an admin of this server."""


async def is_survey_admin(interaction: discord.Interaction[Any]) -> bool:
    """The app-command check: Manage Server, Administrator or a configured admin role."""
    if interaction.guild_id is None or not admin_person(interaction).is_admin:
        raise NotSurveyAdmin()
    return True


def add_admin_commands(survey: app_commands.Group, text: Text) -> None:
    """Put the administration subcommands on ``/nps survey`` (beside ``card``/``status``)."""

    @survey.error
    async def refused(
        interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        if not isinstance(error, NotSurveyAdmin):
            log.error("a /nps survey command failed", exc_info=error)
            return
        person = admin_person(interaction)
        refusal = services_of(interaction).admin.not_allowed(person)
        await reply(interaction, refusal, tenant=person.tenant)

    setting_options = {
        "subject": text("admin.discord.option.subject"),
        "role": text("admin.discord.option.role"),
        "cadence": text("admin.discord.option.cadence"),
        "window_days": text("admin.discord.option.window_days"),
        "reminders": text("admin.discord.option.reminders"),
        "digest_channel": text("admin.discord.option.digest_channel"),
        "k": text("admin.discord.option.k"),
        "timezone": text("admin.discord.option.timezone"),
        "locale": text("admin.discord.option.locale"),
        "digest_cadence": text("admin.discord.option.digest_cadence"),
        "alert_channel": text("admin.discord.option.alert_channel"),
        "drivers": text("admin.discord.option.drivers"),
    }
    kinds = [app_commands.Choice(name=text(f"admin.choice.kind.{k}"), value=k) for k in KINDS]
    locales = [
        app_commands.Choice(name=text(f"admin.choice.locale.{code}"), value=code)
        for code in SUPPORTED
    ]

    @survey.command(name="create", description=text("admin.discord.create"))
    @app_commands.check(is_survey_admin)
    @app_commands.describe(
        name=text("admin.discord.option.name"),
        kind=text("admin.discord.option.kind"),
        **setting_options,
    )
    @app_commands.choices(kind=kinds, locale=locales)
    async def create(
        interaction: discord.Interaction[Any],
        name: Name,
        kind: str = "enps",
        subject: Subject = "",
        role: discord.Role | None = None,
        cadence: str | None = None,
        window_days: WindowDays = 7,
        reminders: Reminders = 2,
        digest_channel: discord.TextChannel | None = None,
        k: K = 5,
        timezone: str = "UTC",
        locale: str | None = None,
        digest_cadence: str | None = None,
        alert_channel: discord.TextChannel | None = None,
        drivers: Drivers | None = None,
    ) -> None:
        given: dict[Setting, object | None] = {
            Setting.KIND: kind,
            Setting.SUBJECT: subject,
            Setting.AUDIENCE: Audience.ROLE.value,
            # No role: everyone, which is the role whose id is the server's.
            Setting.AUDIENCE_TARGET: role.id if role else interaction.guild_id,
            Setting.CADENCE: cadence,
            Setting.WINDOW_DAYS: window_days,
            Setting.REMINDERS: reminders,
            Setting.DIGEST_CHANNEL: digest_channel.id if digest_channel else None,
            Setting.K_MIN: k,
            Setting.TIMEZONE: timezone,
            # No language: the creator's, which is the blank form's.
            Setting.LOCALE: locale,
            Setting.DIGEST_CADENCE: digest_cadence,
            Setting.ALERT_CHANNEL: alert_channel.id if alert_channel else None,
            Setting.DRIVERS: drivers,
        }
        await run_survey(interaction, _with(SurveyAction.CREATE, name, given))

    @survey.command(name="edit", description=text("admin.discord.edit"))
    @app_commands.check(is_survey_admin)
    @app_commands.describe(name=text("admin.discord.option.name"), **setting_options)
    @app_commands.choices(locale=locales)
    async def edit(
        interaction: discord.Interaction[Any],
        name: Name,
        subject: Subject | None = None,
        role: discord.Role | None = None,
        cadence: str | None = None,
        window_days: WindowDays | None = None,
        reminders: Reminders | None = None,
        digest_channel: discord.TextChannel | None = None,
        k: K | None = None,
        timezone: str | None = None,
        locale: str | None = None,
        digest_cadence: str | None = None,
        alert_channel: discord.TextChannel | None = None,
        drivers: Drivers | None = None,
    ) -> None:
        given: dict[Setting, object | None] = {
            Setting.SUBJECT: subject,
            Setting.CADENCE: cadence,
            Setting.WINDOW_DAYS: window_days,
            Setting.REMINDERS: reminders,
            Setting.DIGEST_CHANNEL: digest_channel.id if digest_channel else None,
            Setting.K_MIN: k,
            Setting.TIMEZONE: timezone,
            Setting.LOCALE: locale,
            Setting.DIGEST_CADENCE: digest_cadence,
            Setting.ALERT_CHANNEL: alert_channel.id if alert_channel else None,
            Setting.DRIVERS: drivers,
        }
        if role is not None:
            given[Setting.AUDIENCE] = Audience.ROLE.value
            given[Setting.AUDIENCE_TARGET] = role.id
        await run_survey(interaction, _with(SurveyAction.EDIT, name, given))

    @survey.command(name="list", description=text("admin.discord.list"))
    @app_commands.check(is_survey_admin)
    async def list_(interaction: discord.Interaction[Any]) -> None:
        await run_survey(interaction, SurveyCommand(SurveyAction.LIST))

    @survey.command(name="start", description=text("admin.discord.start"))
    @app_commands.check(is_survey_admin)
    @app_commands.describe(name=text("admin.discord.option.name"))
    async def start(interaction: discord.Interaction[Any], name: Name) -> None:
        await run_survey(interaction, SurveyCommand(SurveyAction.START, name=name))

    @survey.command(name="close", description=text("admin.discord.close"))
    @app_commands.check(is_survey_admin)
    @app_commands.describe(name=text("admin.discord.option.name"))
    async def close(interaction: discord.Interaction[Any], name: Name) -> None:
        await run_survey(interaction, SurveyCommand(SurveyAction.CLOSE, name=name))

    @survey.command(name="delete", description=text("admin.discord.delete"))
    @app_commands.check(is_survey_admin)
    @app_commands.describe(name=text("admin.discord.option.name"))
    async def delete(interaction: discord.Interaction[Any], name: Name) -> None:
        await run_survey(interaction, SurveyCommand(SurveyAction.DELETE, name=name))


async def run_survey(interaction: discord.Interaction[Any], command: SurveyCommand) -> None:
    """Defer privately, run ``command`` for the person behind ``interaction``, reply
    privately (the delete question with its buttons)."""
    person = admin_person(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    view = await services_of(interaction).commands.run(
        person, command, reach=lambda: _reach(interaction)
    )
    if isinstance(view, DeleteConfirmation):
        await interaction.followup.send(ephemeral=True, **delete_question(view))
        return
    await reply(interaction, shown(view), tenant=person.tenant)


def _with(action: SurveyAction, name: str, given: Mapping[Setting, object | None]) -> SurveyCommand:
    """The command for the options given (None: an option left out), values as text."""
    settings = {setting.value: str(value) for setting, value in given.items() if value is not None}
    return SurveyCommand(action, name=name, settings=settings)


def _reach(interaction: discord.Interaction[Any]) -> Reach:
    """The server the command came from, reached through the serving client."""
    assert interaction.guild_id is not None  # the check refuses commands outside a server
    return guild_reach(
        interaction.client,
        interaction.guild_id,
        admin_role_ids=admin_roles_of(interaction),
        role_labels=services_of(interaction).role_labels,
    )
