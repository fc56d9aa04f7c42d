"""Survey states: only an active survey asks and takes answers; every state has a word."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from bot.domain.people import Person
from bot.domain.surveys import SurveyState
from bot.i18n import SUPPORTED, Catalogs
from bot.runtime.services import Services
from bot.views.common import Notice, ReportView, ScorePrompt, Tone
from storage.models import Survey


def test_every_state_has_a_word_in_every_language() -> None:
    catalogs = Catalogs()
    for language in SUPPORTED:
        t = catalogs.translator(language)
        for state in SurveyState:
            assert t(f"status.state.{state}") and t(f"admin.state.{state}")


def test_a_state_compares_equal_to_its_stored_string() -> None:
    assert [str(state) for state in SurveyState] == ["active", "paused", "closed"]
    assert Survey(name="s").status == SurveyState.ACTIVE


@pytest.mark.parametrize("state", [SurveyState.PAUSED, SurveyState.CLOSED])
async def test_an_inactive_default_survey_asks_no_one_and_says_so(
    services: Services, state: SurveyState
) -> None:
    ann = Person(platform="slack", tenant="T1", user_id="U1", locale="en")
    boss = Person(platform="slack", tenant="T1", user_id="U2", locale="en", is_admin=True)
    prompt = await services.engine.start(ann)
    assert isinstance(prompt, ScorePrompt)
    async with services.database.transaction() as session:
        await session.execute(update(Survey).values(status=state.value))
    t = services.catalogs.translator("en")

    refused = await services.engine.start(boss)
    score = await services.engine.record_score(ann, survey_id=prompt.survey_id, score=9)
    status = await services.engine.survey_status(boss)

    assert refused == Notice(t("survey.unknown"), Tone.ERROR)
    assert score == Notice(t("survey.unknown"), Tone.ERROR)
    assert isinstance(status, ReportView)
    rows = {row.label: row.value for section in status.sections for row in section.rows}
    assert rows[t("status.state")] == t(f"status.state.{state}")
