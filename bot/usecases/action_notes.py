"""Preview and edit of the "you said, we did" text a survey's next wave opens with.

An admin may read the text before the wave opens and replace it with their own words
(:meth:`WaveNotes.preview_in_chat`, ``nps-bot actions preview``); either way the text is
fixed for the wave's number when the wave opens (:func:`bot.usecases.waves.notes.settle_note`).
How the bot composes it, and from what, is said there.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.errors import SurveyError
from bot.domain.inputs import clean_text
from bot.domain.people import Person
from bot.domain.surveys import DEFAULT_SURVEY
from bot.i18n import Translator
from bot.usecases.context import WaveDeps
from bot.usecases.guards import admin_only, database_guard
from bot.usecases.survey_admin import NOT_ALLOWED, in_words
from bot.usecases.surveys import named_survey
from bot.usecases.waves.notes import next_note
from bot.views.common import Notice, ReportSection, ReportView
from storage import actions as store

NOTE_LENGTH = 600


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
        :class:`SurveyError` for an empty text or one over :data:`NOTE_LENGTH`; control
        and invisible characters are dropped (:func:`clean_text`), as from a reason."""
        cleaned = clean_text(text)
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
        """``actions preview [SURVEY] [--set-text TEXT]`` for an admin. Another option
        is refused before anything is written (a mistyped ``--set-text`` must not show
        the preview as if the text were set)."""
        survey = name or DEFAULT_SURVEY
        t = self.translator(person)
        given = dict(options or {})
        unknown = [key for key in given if key != "set_text"]
        if unknown:
            raise SurveyError.unknown_options(unknown, key="actions.error.preview_options")
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
