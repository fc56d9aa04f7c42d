"""Everything a platform's ``/nps`` can reach, as one object the composition root builds.

The use cases live with whoever triggers them: the respondent's conversation
(:mod:`bot.usecases.conversation`), a person's preferences
(:mod:`bot.usecases.preferences`), the admin's reading of the default survey
(:mod:`bot.usecases.admin_paths`) and the daily retention job
(:mod:`bot.usecases.retention`). :class:`Engine` joins them so adapters hold one
object, and dispatches the text of ``/nps …`` to them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.domain.commands import Command, Verb, parse_command
from bot.domain.people import Person
from bot.report.model import ReportRequest
from bot.usecases.admin_paths import AdminPaths
from bot.usecases.conversation import Conversation
from bot.usecases.preferences import Preferences
from bot.usecases.retention import expire_reasons
from bot.views.common import Notice, Tone, View


class Engine(Conversation, Preferences, AdminPaths):
    """The chat use cases over one database. Construct once in the composition root."""

    async def handle_command(self, person: Person, text: str) -> View:
        """Run whatever ``/nps <text>`` asks for."""
        command = parse_command(text)
        handlers: dict[Verb, Callable[[Person], Awaitable[View]]] = {
            Verb.ANSWER: self.start,
            Verb.OPT_OUT: self.opt_out,
            Verb.OPT_IN: self.opt_in,
            Verb.PRIVACY: self.privacy,
            Verb.FORGET_ME: self.forget_me,
            Verb.HELP: self.help,
        }
        if command.verb is Verb.REPORT:
            return await self.report(person, _report_request(command))
        if command.verb is Verb.UNKNOWN:
            return Notice(
                self.translator(person)("command.unknown", command=command.word), Tone.WARNING
            )
        return await handlers[command.verb](person)

    async def apply_retention(self) -> int:
        """Clear reasons older than the retention period (a daily job); returns how many."""
        return await expire_reasons(self._deps, months=self._defaults.reason_retention_months)


def _report_request(command: Command) -> ReportRequest:
    return ReportRequest(
        survey=command.args[0] if command.args else None,
        by=command.options.get("by") or None,
        period=command.options.get("period") or None,
    )
