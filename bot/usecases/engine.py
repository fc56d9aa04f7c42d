"""The chat use cases as one object the composition root builds and adapters hold.

The use cases live with whoever triggers them: the respondent's conversation
(:mod:`bot.usecases.conversation`), a person's preferences
(:mod:`bot.usecases.preferences`), the admin's reading of the default survey
(:mod:`bot.usecases.admin_paths`), the replies to a person's answer
(:mod:`bot.usecases.reply_reading`) and the daily retention job
(:mod:`bot.usecases.retention`). :class:`Engine` joins them; the text of ``/nps …`` is
dispatched to them by :mod:`bot.usecases.commands`.
"""

from __future__ import annotations

from bot.domain.commands import ReportUsage
from bot.domain.inputs import named_back
from bot.domain.people import Person
from bot.usecases.admin_paths import AdminPaths
from bot.usecases.conversation import Conversation
from bot.usecases.preferences import Preferences
from bot.usecases.reply_reading import ReplyReading
from bot.usecases.retention import expire_reasons, forget_lapsed_holds
from bot.views.common import Notice, Tone


class Engine(Conversation, Preferences, AdminPaths, ReplyReading):
    """The chat use cases over one database. Construct once in the composition root."""

    def unknown_command(self, person: Person, word: str) -> Notice:
        """The answer to ``/nps <word>`` when ``word`` is no command, naming it back
        (:func:`~bot.domain.inputs.named_back`)."""
        t = self.translator(person)
        return Notice(t("command.unknown", command=named_back(word)), Tone.WARNING)

    def report_usage(self, person: Person, usage: ReportUsage) -> Notice:
        """The answer to a ``/nps report`` with a word it does not take: that word,
        named back (:func:`~bot.domain.inputs.named_back`), what is wrong with it, and
        the usage."""
        t = self.translator(person)
        fault = t(f"report.usage.{usage.fault}", word=named_back(usage.word))
        return Notice(f"{fault} {t('report.usage')}", Tone.WARNING)

    def typed_to_the_app(self, person: Person) -> Notice:
        """The answer to a message typed to the app: how to answer, and where the help is.
        What was typed is neither read as an answer nor shown again."""
        return Notice(self.translator(person)("chat.typed"))

    def waiting_in_direct_messages(self, person: Person) -> Notice:
        """Said where ``/nps`` was typed when the question went to the person's DM."""
        return Notice(self.translator(person)("chat.question_in_dm"), Tone.SUCCESS)

    async def apply_retention(self) -> int:
        """The daily job: clear reasons older than the retention period and delete the
        forget-me holds that have lapsed; returns how many reasons and holds went."""
        months = self._defaults.reason_retention_months
        cleared = await expire_reasons(self._deps, months=months)
        return cleared + await forget_lapsed_holds(self._deps)
