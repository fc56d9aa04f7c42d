"""The ``/nps`` slash commands: thin callbacks that build a person, call the engine, reply.

Every command answers privately and defers first, so a slow database or chart never
misses Discord's 3-second deadline. Descriptions come from the catalog (English is the
default text, Japanese is sent as a localization when the tree is synced).

Each callback maps its typed options onto the command values of the one ``/nps``
grammar (:mod:`bot.domain.commands`) and runs them like every platform does. ``report``
is refused by the engine for anyone who is not an admin (Manage Server, Administrator
or a configured role) unless one group's report was shared with them (``survey share``,
:mod:`adapters.discord.share_commands`); every ``survey`` subcommand (``card``,
``status`` and the survey administration of :mod:`adapters.discord.admin_commands`) by
the group's admin check, with the refusal every platform gives.
Discord accepts ``default_member_permissions`` only on top-level commands, so these
subcommands of ``/nps`` cannot be hidden from non-admins; server admins may restrict
``/nps`` as a whole under Server Settings → Integrations.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str

from adapters.discord.action_commands import actions_group
from adapters.discord.admin_commands import add_admin_commands, is_survey_admin, run_survey
from adapters.discord.admin_components import shown
from adapters.discord.components import message_parts, reply
from adapters.discord.people import (
    admin_roles_of,
    labelled,
    member_of,
    person_from_interaction,
    services_of,
)
from adapters.discord.segment_commands import segments_group
from adapters.discord.share_commands import add_share_commands
from bot.domain.commands import (
    Command,
    ReplyCommand,
    ReportCommand,
    SimpleCommand,
    SurveyAction,
    SurveyCommand,
    Verb,
)
from bot.domain.people import Person
from bot.i18n import SUPPORTED, Catalogs
from bot.views.common import Notice, SurveyCard, Tone

PERIOD_KINDS = ("month", "quarter", "wave")


class CatalogTranslator(app_commands.Translator):
    """Localizes command and option descriptions from the catalog when the tree is synced."""

    def __init__(self, catalogs: Catalogs) -> None:
        self._catalogs = catalogs

    async def translate(
        self,
        string: locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        language = str(locale).split("-")[0].lower()
        if not key or language == "en" or language not in SUPPORTED:
            return None  # Discord shows the default (English) text
        return self._catalogs.translator(language)(str(key))


def nps_group(catalogs: Catalogs) -> app_commands.Group:
    """The ``/nps`` command group with its subcommands (usable in servers only)."""
    english = catalogs.translator("en")

    def text(key: str) -> locale_str:
        return locale_str(english(key), key=key)

    nps = app_commands.Group(
        name="nps",
        description=text("discord.command.nps"),
        guild_only=True,
        allowed_contexts=app_commands.AppCommandContext(guild=True),
    )
    survey = app_commands.Group(
        name="survey", description=text("discord.command.survey"), parent=nps
    )

    def simple(verb: Verb) -> None:
        async def callback(interaction: discord.Interaction[Any]) -> None:
            await _run(interaction, SimpleCommand(verb))

        name = verb.value
        nps.add_command(
            app_commands.Command(
                name=name, description=text(f"discord.command.{name}"), callback=callback
            )
        )

    simple_verbs = (
        Verb.ANSWER,
        Verb.OPT_OUT,
        Verb.OPT_IN,
        Verb.PRIVACY,
        Verb.FORGET_ME,
        Verb.HELP,
        Verb.REPLIES,
    )
    for verb in simple_verbs:
        simple(verb)

    @nps.command(name="report", description=text("discord.command.report"))
    @app_commands.describe(
        survey=text("discord.option.survey"),
        by=text("discord.option.by"),
        period=text("discord.option.period"),
        quotes=text("discord.option.quotes"),
    )
    @app_commands.choices(
        period=[
            app_commands.Choice(name=text(f"discord.period.{kind}"), value=kind)
            for kind in PERIOD_KINDS
        ]
    )
    async def report(
        interaction: discord.Interaction[Any],
        survey: str | None = None,
        by: str | None = None,
        period: str | None = None,
        quotes: bool = False,
    ) -> None:
        command = ReportCommand(
            survey=survey or None, by=by or None, period=period or None, quotes=quotes
        )
        await _run(interaction, command)

    # The use case refuses anyone but an admin, in their words, like /nps report.
    @nps.command(name="reply", description=text("discord.command.reply"))
    @app_commands.describe(
        survey=text("admin.discord.option.survey"),
        comment=text("discord.option.comment"),
        text=text("discord.option.reply_text"),
    )
    async def reply_to_comment(
        interaction: discord.Interaction[Any], survey: str, comment: str, text: str
    ) -> None:
        await _run(interaction, ReplyCommand(survey=survey, comment=comment, text=text))

    @survey.command(name="status", description=text("discord.command.survey_status"))
    @app_commands.check(is_survey_admin)
    @app_commands.describe(name=text("admin.discord.option.survey"))
    async def status(interaction: discord.Interaction[Any], name: str | None = None) -> None:
        await run_survey(interaction, SurveyCommand(SurveyAction.STATUS, name=name or None))

    @survey.command(name="card", description=text("discord.command.survey_card"))
    @app_commands.check(is_survey_admin)
    @app_commands.describe(channel=text("discord.option.channel"))
    async def card(interaction: discord.Interaction[Any], channel: discord.TextChannel) -> None:
        await _post_card(interaction, channel)

    add_admin_commands(survey, text)
    segments_group(nps, text)
    add_share_commands(survey, text)
    actions_group(nps, text)
    return nps


def _person(interaction: discord.Interaction[Any]) -> Person:
    return person_from_interaction(interaction, admin_role_ids=admin_roles_of(interaction))


async def _run(interaction: discord.Interaction[Any], command: Command) -> None:
    """Defer privately, run ``command`` for the person behind ``interaction`` (labelled
    by their mapped roles, for ``/nps answer``), reply."""
    person = _person(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    person = await labelled(person, member_of(interaction), services_of(interaction))
    view = await services_of(interaction).commands.run(person, command)
    await reply(interaction, shown(view), tenant=person.tenant)


async def _post_card(interaction: discord.Interaction[Any], channel: discord.TextChannel) -> None:
    """Post the survey card in ``channel`` for an admin, then tell them how it went."""
    services = services_of(interaction)
    person = _person(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    view = await services.engine.survey_card(person)
    if not isinstance(view, SurveyCard):
        await reply(interaction, view, tenant=person.tenant)
        return
    t = services.engine.translator(person)
    try:
        await channel.send(**message_parts(view, tenant=person.tenant).send_kwargs())
    except (discord.Forbidden, discord.NotFound):
        outcome = Notice(t("discord.card.cannot_post", channel=channel.mention), Tone.ERROR)
    else:
        outcome = Notice(t("discord.card.posted", channel=channel.mention), Tone.SUCCESS)
    await reply(interaction, outcome, tenant=person.tenant)
