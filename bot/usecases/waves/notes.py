"""The "you said, we did" lines a wave opens with: composed, and fixed for the wave.

What was heard comes from the report of the survey's wave before, released through the
disclosure gate like any report (:meth:`bot.usecases.reports.Reports.survey_report`):
only themes the gate shows (drawn from at least ``k_comments`` reasons on each side),
never a reason itself. What was done are the survey's actions marked done or in
progress; actions a scoped viewer made for their group stay out, since naming them to
everyone would point at that group.

When a wave opens its text is fixed for good (:func:`settle_note`): the admin's own, if
they wrote one for it, else the bot's in the survey's language; so every invitation of
the wave and its channel card say the same, and a later edit changes no wave already
open.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.actions import SHOWN_AS_DONE, ActionStatus
from bot.i18n import Translator
from bot.report.model import ReportRequest
from bot.usecases.context import WaveDeps
from storage import actions as store
from storage import waves as wave_store
from storage.answer_scope import DayRange
from storage.models import Survey, Wave

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
