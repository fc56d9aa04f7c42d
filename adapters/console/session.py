"""A console conversation: what the next line of input means depends on what was asked."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeVar

from adapters.console.platform import TENANT, ConsolePlatform
from bot.ports.reach import Reach
from bot.runtime.context import Commands, Engine
from bot.views.admin import AdminView
from bot.views.common import DriverPrompt, Notice, ReasonPrompt, ScorePrompt, Tone, View
from bot.views.replies import RepliesView

V = TypeVar("V", bound=AdminView)
Shown = AdminView | RepliesView
"""What a line can bring to the terminal."""

QUESTIONS = (ScorePrompt, ReasonPrompt, DriverPrompt)
"""Views that ask something: the next line answers the newest of them."""
REPLIES = "/nps replies"
"""The session's own word: the replies to the reason given in this session."""


@dataclass
class ConsoleSession:
    """Turns lines into engine calls for the person at the terminal.

    Lines starting with ``/nps`` are commands at any time, in the grammar every platform
    shares (``/nps survey …`` included); a command that asks nothing itself (help,
    privacy, a report) leaves the open question open, so the next line still answers it.
    Otherwise a line is a score while a score prompt is showing, a reason while a reason
    prompt is showing (an empty line skips it), a rating of the next driver question
    while driver questions are being asked (one at a time; an empty line skips that
    driver); when nothing was asked, text is answered with how to answer and where the
    commands are, and an empty line with nothing.
    A question a survey wave sends is shown after the command that started the wave,
    and the next line answers it.

    ``/nps replies`` (then ``answer TEXT`` or ``close``) reads, answers back and closes
    the replies to the last reason given in this session, through the reply token the
    engine issued for it. The token lives in this object only, as it lives in a button
    elsewhere: a new session holds none and sees the same empty thread as a stranger.
    """

    engine: Engine
    commands: Commands
    platform: ConsolePlatform
    survey_id: str | None = None
    reason_token: str | None = None
    drivers: DriverPrompt | None = None
    """The driver questions still to ask, the next one first."""
    reply_token: str | None = None
    """The reply token of the last reason given in this session."""
    hint_after_drivers: bool = False
    """Say how to read replies once the driver questions are done."""

    async def open(self) -> View:
        return self._follow(await self.engine.start(self.platform.person))

    async def handle(self, line: str) -> list[Shown]:
        """What to show for ``line``: its answer (if it meant anything), then whatever
        was sent to the terminal meanwhile. A line whose bytes were not UTF-8 (read as
        surrogates) means nothing: it is answered with how to go on, and what was asked
        stays asked."""
        if not _is_text(line):
            t = self.commands.translator(self.platform.person)
            return [Notice(t("console.not_utf8"), Tone.ERROR)]
        shown = await self._answer(line.strip())
        for message in self.platform.take():
            shown.append(self._follow(message.view) if message.direct else message.view)
        return shown

    async def _answer(self, text: str) -> list[Shown]:
        person = self.platform.person
        if text.lower() == REPLIES or text.lower().startswith(REPLIES + " "):
            return [await self._replies(text[len(REPLIES) :].strip())]
        if text.lower().startswith("/nps"):
            shown = await self.commands.handle(person, text, reach=self._reach)
            return [self._follow(shown) if isinstance(shown, QUESTIONS) else shown]
        if self.drivers is not None:
            rated = await self._rate(text)
            finished = self.drivers is None and self.hint_after_drivers
            self.hint_after_drivers = self.hint_after_drivers and not finished
            return [rated, *([self._replies_hint()] if finished else [])]
        if self.reason_token is not None:
            token = self.reason_token
            answer = self._follow(
                await self.engine.record_reason(person, token=token, reason=text or None)
            )
            return [answer, *self._keep_reply_token(answer, token, typed=text)]
        if not text:
            return []
        if self.survey_id is not None:
            return [
                self._follow(
                    await self.engine.record_score(person, survey_id=self.survey_id, score=text)
                )
            ]
        return [Notice(self.commands.translator(person)("console.nothing_asked"), Tone.INFO)]

    def _keep_reply_token(self, answer: View, token: str, *, typed: str) -> list[Shown]:
        """After an accepted reason, keep the reply token of its replies and say how to
        read them. Only a typed reason can be quoted and replied to, so only it counts."""
        accepted = isinstance(answer, DriverPrompt) or (
            isinstance(answer, Notice) and answer.tone is Tone.SUCCESS
        )
        entry = self.engine.replies_button(self.platform.person, reason_token=token)
        if not typed or not accepted or entry is None:
            return []
        self.reply_token = entry.token
        # The hint comes after the last thanks, so the questions stay the last lines.
        self.hint_after_drivers = isinstance(answer, DriverPrompt) and bool(answer.drivers)
        return [] if self.hint_after_drivers else [self._replies_hint()]

    def _replies_hint(self) -> Notice:
        t = self.commands.translator(self.platform.person)
        return Notice(t("console.replies_hint"), Tone.INFO)

    async def _replies(self, rest: str) -> RepliesView | Notice:
        """``/nps replies``: show; ``… answer TEXT``: answer back; ``… close``: close.
        Without a token the engine shows the same empty thread as for a foreign one."""
        person, token = self.platform.person, self.reply_token or ""
        word, _, text = rest.partition(" ")
        if word.lower() == "answer":
            return await self.engine.answer_back(person, token=token, text=text)
        if word.lower() == "close":
            return await self.engine.close_replies(person, token=token)
        return await self.engine.show_replies(person, token=token)

    def _reach(self) -> Reach:
        return Reach(platform=self.platform, tenant=TENANT)

    def _follow(self, view: V) -> V:
        """Remember what the view asks for, so the next line is read accordingly."""
        if isinstance(view, Notice) and view.retry:
            return view  # the same question stays open
        self.survey_id = view.survey_id if isinstance(view, ScorePrompt) else None
        self.reason_token = view.token if isinstance(view, ReasonPrompt) else None
        self.drivers = view if isinstance(view, DriverPrompt) and view.drivers else None
        return view

    async def _rate(self, text: str) -> View:
        """Rate (or, on an empty line, skip) the next driver, then ask the one after it.

        The view returned names only the drivers still to ask; its intro is shown once.
        """
        asked = self.drivers
        assert asked is not None
        current, rest = asked.drivers[0], asked.drivers[1:]
        recorded = ""
        if text:
            view = await self.engine.record_rating(
                self.platform.person, token=asked.token, driver=current.key, rating=text
            )
            if not isinstance(view, DriverPrompt):
                return self._follow(view)
            recorded = view.recorded
        return self._follow(replace(asked, recorded=recorded, intro="", drivers=rest))


def _is_text(line: str) -> bool:
    try:
        line.encode()
    except UnicodeEncodeError:
        return False
    return True
