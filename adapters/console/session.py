"""A console conversation: what the next line of input means depends on what was asked."""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine import Engine
from bot.people import Person
from bot.views import Notice, ReasonPrompt, ScorePrompt, View


@dataclass
class ConsoleSession:
    """Turns lines into engine calls for one person.

    Lines starting with ``/nps`` are commands at any time. Otherwise a line is a score
    while a score prompt is showing, a reason while a reason prompt is showing (an
    empty line skips it), and ignored when nothing was asked.
    """

    engine: Engine
    person: Person
    survey_id: str | None = None
    reason_token: str | None = None

    async def open(self) -> View:
        return self._follow(await self.engine.start(self.person))

    async def handle(self, line: str) -> View | None:
        text = line.strip()
        if text.lower().startswith("/nps"):
            return self._follow(await self.engine.handle_command(self.person, text))
        if self.reason_token is not None:
            return self._follow(
                await self.engine.record_reason(
                    self.person, token=self.reason_token, reason=text or None
                )
            )
        if self.survey_id is not None and text:
            return self._follow(
                await self.engine.record_score(self.person, survey_id=self.survey_id, score=text)
            )
        return None

    def _follow(self, view: View) -> View:
        """Remember what the view asks for, so the next line is read accordingly."""
        if isinstance(view, Notice) and view.retry:
            return view  # the same question stays open
        self.survey_id = view.survey_id if isinstance(view, ScorePrompt) else None
        self.reason_token = view.token if isinstance(view, ReasonPrompt) else None
        return view
