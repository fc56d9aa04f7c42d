""" "You said, we did": the one or two lines a survey's next wave opens with.

What was heard comes from the report of the survey's latest wave, released through the
disclosure gate like any report (:meth:`bot.usecases.reports.Reports.survey_report`):
only themes the gate shows (drawn from at least ``k_comments`` reasons on each side),
never a reason itself. What was done are the survey's actions marked done or in
progress; actions a scoped viewer made for their group stay out, since naming them to
everyone would point at that group.

An admin may read the text before the wave opens and replace it with their own words
(:meth:`WaveNotes.preview_in_chat`, ``nps-bot actions preview``); either way the text is
stored for the wave's number when the wave opens (:func:`settle_note`), so every
invitation of that wave and its channel card say the same, and a later edit changes no
wave already open.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.actions import SHOWN_AS_DONE, ActionStatus
from bot.domain.errors import SurveyError
from bot.domain.people import Person
from bot.domain.surveys import DEFAULT_SURVEY
from bot.i18n import Translator
from bot.report.model import ReportRequest
from bot.usecases.context import WaveDeps
from bot.usecases.guards import admin_only, database_guard
from bot.usecases.survey_admin import NOT_ALLOWED, in_words
from bot.usecases.surveys import named_survey
from bot.views.common import Notice, ReportSection, ReportView
from storage import actions as store
from storage import waves as wave_store
from storage.aggregates import DayRange
from storage.models import Survey, Wave

NOTE_LENGTH = 600
HEARD = 3
"""At most this many themes and this many actions are named: one or two short lines."""


async def compose_note(
    session: AsyncSession, deps: WaveDeps, *, survey: Survey, heard_in: Wave | None, t: Translator
) -> str | None:
    """The lines the bot writes for a wave that follows ``heard_in`` (None: the first
    wave), or None when it has neither a theme it may show nor an action done or in
    progress."""
    lines = []
    if heard_in is not None:
        themes = await _heard(session, deps, survey=survey, wave=heard_in)
        if themes:
            lines.append(t("actions.note.heard", themes=", ".join(themes)))
    done = [
        action.title
        for action in await store.actions_of_survey(session, survey_id=survey.id)
        if ActionStatus(action.status) in SHOWN_AS_DONE and action.scope_label is None
    ]
    if done:
        lines.append(t("actions.note.done", actions="; ".join(done[:HEARD])))
    return "\n".join(lines) or None


async def _heard(session: AsyncSession, deps: WaveDeps, *, survey: Survey, wave: Wave) -> list[str]:
    """The themes the gated report of ``wave``'s days shows (none when it withholds)."""
    days = DayRange(since=wave.opens_at.date(), until=wave.closes_at.date() + timedelta(days=1))
    report = await deps.reports.survey_report(
        session, survey=survey, request=ReportRequest(), today=deps.clock().date(), days=days
    )
    return [theme.term for theme in report.themes or ()][:HEARD]


async def next_note(
    session: AsyncSession, deps: WaveDeps, *, survey: Survey, t: Translator
) -> tuple[str | None, bool]:
    """The text the next wave would open with, and whether an admin wrote it."""
    number = await store.wave_count(session, survey_id=survey.id) + 1
    written = await store.note_for(session, survey_id=survey.id, wave_number=number)
    if written is not None:
        return written, True
    latest = await wave_store.latest_wave(session, survey_id=survey.id)
    return await compose_note(session, deps, survey=survey, heard_in=latest, t=t), False


async def settle_note(deps: WaveDeps, *, survey: Survey, wave: Wave) -> None:
    """Fix the text of ``wave`` (just opened) for good: the admin's, else the bot's in
    the survey's language. Repeating it (a second replica) keeps the first text."""
    t = deps.catalogs.translator(survey.locale)
    async with deps.database.transaction() as session:
        number = await store.wave_number(session, wave=wave)
        if await store.note_for(session, survey_id=survey.id, wave_number=number) is not None:
            return
        previous = await wave_store.previous_wave(session, wave=wave)
        text = await compose_note(session, deps, survey=survey, heard_in=previous, t=t)
        if text:
            await store.write_note(
                session, survey=survey, wave_number=number, text=text, now=deps.clock(), keep=True
            )


class WaveNotes:
    """Preview and edit of the next wave's "you said, we did" text. Construct once in
    the composition root."""

    def __init__(self, deps: WaveDeps) -> None:
        self._deps = deps

    def translator(self, person: Person) -> Translator:
        return self._deps.translator_for(person.locale)

    async def preview(
        self, *, platform: str, tenant: str, name: str, locale: str | None = None
    ) -> tuple[str | None, bool]:
        """The next wave's text of ``name`` and whether an admin wrote it."""
        t = self._deps.translator_for(locale)
        async with self._deps.database.transaction() as session:
            survey = await named_survey(session, platform=platform, tenant=tenant, name=name)
            return await next_note(session, self._deps, survey=survey, t=t)

    async def set_text(self, *, platform: str, tenant: str, name: str, text: str) -> int:
        """Keep ``text`` for the next wave of ``name``; returns that wave's number.
        :class:`SurveyError` for an empty text or one over :data:`NOTE_LENGTH`."""
        cleaned = text.strip()
        if not cleaned or len(cleaned) > NOTE_LENGTH:
            raise SurveyError(
                f"the text needs 1 to {NOTE_LENGTH} characters",
                key="actions.error.note_text",
                limit=NOTE_LENGTH,
            )
        async with self._deps.database.transaction() as session:
            survey = await named_survey(session, platform=platform, tenant=tenant, name=name)
            number = await store.wave_count(session, survey_id=survey.id) + 1
            await store.write_note(
                session, survey=survey, wave_number=number, text=cleaned, now=self._deps.clock()
            )
        return number

    @admin_only(NOT_ALLOWED)
    @database_guard
    @in_words
    async def preview_in_chat(
        self, person: Person, name: str | None, options: Mapping[str, str] | None
    ) -> ReportView | Notice:
        """``actions preview [SURVEY] [--set-text TEXT]`` for an admin."""
        survey = name or DEFAULT_SURVEY
        t = self.translator(person)
        given = dict(options or {})
        if "set_text" in given:
            await self.set_text(
                platform=person.platform, tenant=person.tenant, name=survey, text=given["set_text"]
            )
        text, written = await self.preview(
            platform=person.platform, tenant=person.tenant, name=survey, locale=person.locale
        )
        source = t("actions.preview.written" if written else "actions.preview.generated")
        return ReportView(
            title=t("actions.preview.title", survey=survey),
            headline=text or t("actions.preview.empty"),
            sections=(
                ReportSection(title="", notes=(source, t("actions.preview.how", survey=survey))),
            ),
        )
