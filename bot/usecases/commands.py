"""Every ``/nps`` command, on every platform: a parsed command to the use case it names.

Text platforms (Slack's slash command, the console) parse what was typed with
:func:`bot.domain.commands.parse_command`; Discord builds the same values from its typed
options. The conversation's commands go to the :class:`Engine`. ``survey …`` is
administration: the admin check comes first, so a person who is not an admin gets the
same refusal on every platform whatever the subcommand; then :class:`SurveyAdmin` runs it
(``survey share|unshare|shares``: :class:`ScopedViewers`). ``report`` from someone who is
not an admin goes to :meth:`ScopedViewers.report`: the report of a group shared with
them, or the refusal every non-admin gets. ``actions …`` goes to :class:`ActionPlans`,
which lets admins and, for their own group, scoped viewers through; ``actions preview``
to :class:`WaveNotes`, for admins only.

Settings typed as text are named after :class:`~bot.views.admin.Setting` (``k`` is also
``k_min``). ``create``/``edit`` without any setting returns the survey form, which a
platform shows its own way (a Slack modal, the console's text); with settings, a new
survey takes the blank form's values for every setting not given, and an edit changes
only what was given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping

from bot.domain.commands import (
    ActionsCommand,
    ActionsVerb,
    Command,
    ReplyCommand,
    ReportCommand,
    ReportUsage,
    ShareCommand,
    SimpleCommand,
    SurveyAction,
    SurveyCommand,
    SurveyUsage,
    UnknownCommand,
    Verb,
    parse_command,
)
from bot.domain.people import Person
from bot.i18n import Translator
from bot.ports.reach import Reach
from bot.report.model import ReportRequest
from bot.usecases.action_notes import WaveNotes
from bot.usecases.actions import ActionPlans
from bot.usecases.engine import Engine
from bot.usecases.guards import admin_only
from bot.usecases.replies import ReplyAdmin
from bot.usecases.survey_admin import NOT_ALLOWED, SurveyAdmin
from bot.usecases.viewers import ScopedViewers
from bot.views.admin import AdminView, Setting, SurveyForm
from bot.views.common import Notice, Tone

ReachFor = Callable[[], Reach]
"""The request's platform connection, built only for a command that reaches people."""

_SETTING_NAMES: Mapping[str, Setting] = {
    **{setting.value: setting for setting in Setting},
    "k": Setting.K_MIN,
}
"""The names a setting goes by in ``--name value``: its own, and ``k`` (as the CLI and
Discord spell ``k_min``)."""


class Commands:
    """Runs parsed ``/nps`` commands for a person. Construct once in the composition root."""

    def __init__(
        self,
        *,
        engine: Engine,
        admin: SurveyAdmin,
        viewers: ScopedViewers,
        replies: ReplyAdmin,
        actions: ActionPlans,
        notes: WaveNotes,
    ) -> None:
        self._engine = engine
        self._admin = admin
        self._viewers = viewers
        self._replies = replies
        self._actions = actions
        self._notes = notes

    async def handle(
        self, person: Person, text: str, *, reach: ReachFor | None = None
    ) -> AdminView:
        """Run whatever ``/nps <text>`` asks for."""
        return await self.run(person, parse_command(text), reach=reach)

    async def run(
        self, person: Person, command: Command, *, reach: ReachFor | None = None
    ) -> AdminView:
        """Run ``command`` for ``person``; ``reach`` serves ``survey start|close``."""
        engine = self._engine
        match command:
            case SurveyCommand() | ShareCommand() | SurveyUsage():
                return await self._survey(person, command, reach=reach)
            case ActionsCommand(action=ActionsVerb.PREVIEW, survey=survey, options=options):
                return await self._notes.preview_in_chat(person, survey, options)
            case ActionsCommand():
                return await self._actions.run(person, command)
            case ReportCommand(survey=survey, by=by, period=period, quotes=quotes):
                request = ReportRequest(survey=survey, by=by, period=period, quotes=quotes)
                if not person.is_admin:
                    return await self._viewers.report(person, request)
                return await engine.report(person, request)
            case ReportUsage():
                return engine.report_usage(person, command)
            case ReplyCommand():
                return await self._replies.reply(person, command)
            case UnknownCommand(word=word):
                return engine.unknown_command(person, word)
            case SimpleCommand(verb=Verb.ANSWER):
                return await engine.start(person)
            case SimpleCommand(verb=Verb.OPT_OUT):
                return await engine.opt_out(person)
            case SimpleCommand(verb=Verb.OPT_IN):
                return await engine.opt_in(person)
            case SimpleCommand(verb=Verb.PRIVACY):
                return await engine.privacy(person)
            case SimpleCommand(verb=Verb.FORGET_ME):
                return await engine.forget_me(person)
            case SimpleCommand(verb=Verb.HELP):
                return await engine.help(person)
            case SimpleCommand(verb=Verb.REPLIES):
                return engine.where_replies_are(person)
        raise ValueError(f"{command.verb} is not a command without arguments")

    def translator(self, person: Person) -> Translator:
        """The words of ``person``'s language (for the shared admin check)."""
        return self._admin.translator(person)

    @admin_only(NOT_ALLOWED)
    async def _survey(
        self,
        person: Person,
        command: SurveyCommand | ShareCommand | SurveyUsage,
        *,
        reach: ReachFor | None,
    ) -> AdminView:
        admin = self._admin
        if isinstance(command, SurveyUsage):
            return admin.usage(person, command)
        if isinstance(command, ShareCommand):
            return await self._viewers.run(person, command)
        action, name = command.action, command.name
        if action is SurveyAction.LIST:
            return await admin.list(person)
        if action is SurveyAction.STATUS:
            if name is None:
                return await self._engine.survey_status(person)  # the default survey
            return await admin.status(person, name)
        if action is SurveyAction.CREATE:
            return await self._create(person, name, command.settings, command.repeated)
        if name is None:
            return admin.usage(person, SurveyUsage())
        if action is SurveyAction.EDIT:
            return await self._edit(person, name, command.settings, command.repeated)
        if action is SurveyAction.DELETE:
            if command.confirmed:
                return await admin.delete(person, name)
            return await admin.confirm_delete(person, name)
        if reach is None:
            t = admin.translator(person)
            return Notice(t("admin.error.cannot_deliver", platform=person.platform), Tone.ERROR)
        if action is SurveyAction.START:
            return await admin.start(person, reach(), name)
        return await admin.close(person, reach(), name)

    async def _create(
        self,
        person: Person,
        name: str | None,
        typed: Mapping[str, str] | None,
        repeated: frozenset[str],
    ) -> AdminView:
        blank = await self._admin.form(person)
        if typed is None or not isinstance(blank, SurveyForm):
            return blank
        values = self._settings(person, typed, repeated)
        if isinstance(values, Notice):
            return values
        given = {**values, Setting.NAME: name} if name else values
        return await self._admin.create(person, {**_values_of(blank), **given})

    async def _edit(
        self,
        person: Person,
        name: str,
        typed: Mapping[str, str] | None,
        repeated: frozenset[str],
    ) -> AdminView:
        if typed is None:
            return await self._admin.form(person, name)
        values = self._settings(person, typed, repeated)
        if isinstance(values, Notice):
            return values
        return await self._admin.edit(person, name, values)

    def _settings(
        self, person: Person, typed: Mapping[str, str], repeated: frozenset[str]
    ) -> dict[Setting, str] | Notice:
        """Typed settings by :class:`Setting`, or the refusal naming those that do not
        exist, or those given twice (under one name, or as ``k`` and ``k_min``)."""
        t = self._admin.translator(person)
        unknown = sorted(key for key in typed if key not in _SETTING_NAMES)
        if unknown:
            return Notice(
                t(
                    "admin.error.unknown_setting",
                    names=", ".join(unknown),
                    known=", ".join(setting.value for setting in Setting),
                ),
                Tone.ERROR,
            )
        named = Counter(_SETTING_NAMES[key] for key in typed)
        twice = {_SETTING_NAMES[key].value for key in repeated} | {
            setting.value for setting, times in named.items() if times > 1
        }
        if twice:
            return Notice(
                t("admin.error.repeated_setting", names=", ".join(sorted(twice))), Tone.ERROR
            )
        return {_SETTING_NAMES[key]: value for key, value in typed.items()}


def _values_of(form: SurveyForm) -> dict[Setting, object]:
    """What submitting ``form`` untouched would carry."""
    return {field.setting: field.value for field in form.fields}
