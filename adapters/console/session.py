"""A console conversation: what the next line of input means depends on what was asked."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.domain.people import Person
from bot.runtime.context import Engine
from bot.views.common import DriverPrompt, Notice, ReasonPrompt, ScorePrompt, View


@dataclass
class ConsoleSession:
    """Turns lines into engine calls for one person.

    Lines starting with ``/nps`` are commands at any time. Otherwise a line is a score
    while a score prompt is showing, a reason while a reason prompt is showing (an
    empty line skips it), a rating of the next driver question while driver questions
    are being asked (one at a time; an empty line skips that driver), and ignored when
    nothing was asked.
    """

    engine: Engine
    person: Person
    survey_id: str | None = None
    reason_token: str | None = None
    drivers: DriverPrompt | None = None
    """The driver questions still to ask, the next one first."""

    async def open(self) -> View:
        return self._follow(await self.engine.start(self.person))

    async def handle(self, line: str) -> View | None:
        text = line.strip()
        if text.lower().startswith("/nps"):
            return self._follow(await self.engine.handle_command(self.person, text))
        if self.drivers is not None:
            return await self._rate(text)
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
                self.person, token=asked.token, driver=current.key, rating=text
            )
            if not isinstance(view, DriverPrompt):
                return self._follow(view)
            recorded = view.recorded
        return self._follow(replace(asked, recorded=recorded, intro="", drivers=rest))
