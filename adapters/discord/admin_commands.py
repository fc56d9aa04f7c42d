"""``/nps survey create|edit|list|start|close|delete``: survey administration with typed options.

Each command is guarded twice: a discord.py app-command check refuses non-admins before
the callback runs (answered by the ``survey`` group's error handler, in their language),
and the use case checks again. The audience is a role (``@everyone`` when none is
given), the digest and alert channels are channel options, and numbers are integer
options bounded like the use case's form, so Discord itself refuses what is out of range.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str

from adapters.discord.admin_components import admin_person, delete_question, shown
from adapters.discord.components import reply
from adapters.discord.people import admin_roles_of, services_of
from bot.domain.people import Person
from bot.i18n import SUPPORTED
from bot.ports.reach import Reach
from bot.runtime.context import SurveyAdmin
from bot.views.admin import AdminView, Audience, DeleteConfirmation, Setting
from bot.views.survey_form import BOUNDS, KINDS

log = logging.getLogger(__name__)

Text = Callable[[str], locale_str]
AdminUseCase = Callable[[SurveyAdmin, Person], Awaitable[AdminView]]

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
        values: dict[Setting, object] = {
            Setting.NAME: name,
            Setting.KIND: kind,
            Setting.SUBJECT: subject,
            Setting.AUDIENCE: Audience.ROLE.value,
            # No role: everyone, which is the role whose id is the server's.
            Setting.AUDIENCE_TARGET: str(role.id if role else interaction.guild_id),
            Setting.CADENCE: cadence,
            Setting.WINDOW_DAYS: window_days,
            Setting.REMINDERS: reminders,
            Setting.DIGEST_CHANNEL: str(digest_channel.id) if digest_channel else None,
            Setting.K_MIN: k,
            Setting.TIMEZONE: timezone,
            Setting.DIGEST_CADENCE: digest_cadence,
            Setting.ALERT_CHANNEL: str(alert_channel.id) if alert_channel else None,
            Setting.DRIVERS: drivers or "",
        }
        person = admin_person(interaction)
        values[Setting.LOCALE] = (
            locale or services_of(interaction).admin.translator(person).language
        )
        await run_admin(interaction, lambda admin, who: admin.create(who, values))

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
            Setting.DIGEST_CHANNEL: str(digest_channel.id) if digest_channel else None,
            Setting.K_MIN: k,
            Setting.TIMEZONE: timezone,
            Setting.LOCALE: locale,
            Setting.DIGEST_CADENCE: digest_cadence,
            Setting.ALERT_CHANNEL: str(alert_channel.id) if alert_channel else None,
            Setting.DRIVERS: drivers,
        }
        if role is not None:
            given[Setting.AUDIENCE] = Audience.ROLE.value
            given[Setting.AUDIENCE_TARGET] = str(role.id)
        changes = {setting: value for setting, value in given.items() if value is not None}
        await run_admin(interaction, lambda admin, who: admin.edit(who, name, changes))

    @survey.command(name="list", description=text("admin.discord.list"))
    @app_commands.check(is_survey_admin)
    async def list_(interaction: discord.Interaction[Any]) -> None:
        await run_admin(interaction, lambda admin, who: admin.list(who))

    @survey.command(name="start", description=text("admin.discord.start"))
    @app_commands.check(is_survey_admin)
    @app_commands.describe(name=text("admin.discord.option.name"))
    async def start(interaction: discord.Interaction[Any], name: Name) -> None:
        reach = _reach(interaction)
        await run_admin(interaction, lambda admin, who: admin.start(who, reach, name))

    @survey.command(name="close", description=text("admin.discord.close"))
    @app_commands.check(is_survey_admin)
    @app_commands.describe(name=text("admin.discord.option.name"))
    async def close(interaction: discord.Interaction[Any], name: Name) -> None:
        reach = _reach(interaction)
        await run_admin(interaction, lambda admin, who: admin.close(who, reach, name))

    @survey.command(name="delete", description=text("admin.discord.delete"))
    @app_commands.check(is_survey_admin)
    @app_commands.describe(name=text("admin.discord.option.name"))
    async def delete(interaction: discord.Interaction[Any], name: Name) -> None:
        person = admin_person(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        view = await services_of(interaction).admin.confirm_delete(person, name)
        if isinstance(view, DeleteConfirmation):
            await interaction.followup.send(ephemeral=True, **delete_question(view))
            return
        await reply(interaction, shown(view), tenant=person.tenant)


async def run_admin(interaction: discord.Interaction[Any], use: AdminUseCase) -> None:
    """Defer privately, run ``use`` for the person behind ``interaction``, reply privately."""
    person = admin_person(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    view = await use(services_of(interaction).admin, person)
    await reply(interaction, shown(view), tenant=person.tenant)


def _reach(interaction: discord.Interaction[Any]) -> Reach:
    """The server the command came from, reached through the serving client."""
    # Imported here: the reach module imports the client, which imports these commands.
    from adapters.discord.reach import guild_reach

    assert interaction.guild_id is not None  # the check refuses commands outside a server
    return guild_reach(
        interaction.client, interaction.guild_id, admin_role_ids=admin_roles_of(interaction)
    )
