"""A survey's status and settings in words people read, not stored values."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from bot.i18n import Catalogs
from bot.views.survey_status import SurveyStatus, status_view
from storage.models import Survey


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs()


def audience_shown(catalogs: Catalogs, language: str, audience: dict[str, str]) -> str:
    survey = Survey(
        tenant_id=uuid.uuid4(), name="pulse", audience=audience, created_at=datetime.now(UTC)
    )
    found = SurveyStatus(
        survey=survey, platform="slack", tenant="T1", answers=0, wave=None, invitations={}
    )
    t = catalogs.translator(language)
    view = status_view(t, found)
    [value] = [row.value for row in view.sections[0].rows if row.label == t("admin.field.audience")]
    return value


@pytest.mark.parametrize(
    ("language", "audience", "shown"),
    [
        ("en", {"everyone": "yes"}, "Everyone"),
        ("ja", {"everyone": "yes"}, "全員"),
        ("en", {"channel": "C0GENERAL"}, "A channel's members: C0GENERAL"),
        ("en", {"usergroup": "S0LEADS01"}, "A user group: S0LEADS01"),
        ("ja", {"role": "1234"}, "ロール：1234"),
        ("en", {}, "Everyone"),
    ],
)
def test_the_audience_is_said_in_words(
    catalogs: Catalogs, language: str, audience: dict[str, str], shown: str
) -> None:
    assert audience_shown(catalogs, language, audience) == shown


def test_the_enps_subject_hint_does_not_say_what_the_question_adds(catalogs: Catalogs) -> None:
    en = catalogs.translator("en")
    example = "Acme"
    assert f"e.g. {example} (" in en("admin.hint.subject")
    question = en("score.question.enps_subject", subject=example)
    assert question.count("as a place to work") == 1


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_driver_intro_names_no_gesture(catalogs: Catalogs, language: str) -> None:
    intro = catalogs.translator(language)("drivers.intro")
    assert not any(word in intro for word in ("Tap", "tap", "click", "選んで", "タップ"))
    assert "5" in intro
