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
        ("en", {"channel": "C0GENERAL"}, "A channel's members: channel C0GENERAL"),
        ("ja", {"channel": "C0GENERAL"}, "チャンネルのメンバー：チャンネル C0GENERAL"),
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


@pytest.mark.parametrize("language", ["en", "ja"])
def test_channels_are_labelled_in_words_and_carried_for_a_mention(
    catalogs: Catalogs, language: str
) -> None:
    survey = Survey(
        tenant_id=uuid.uuid4(),
        name="pulse",
        audience={"channel": "C0GENERAL"},
        digest_channel="C0DIGEST1",
        alert_channel=None,
        created_at=datetime.now(UTC),
    )
    found = SurveyStatus(
        survey=survey, platform="slack", tenant="T1", answers=0, wave=None, invitations={}
    )
    t = catalogs.translator(language)
    rows = {row.label: row for row in status_view(t, found).sections[0].rows}
    digest = rows[t("admin.field.digest_channel")]
    assert digest.value == t("admin.status.channel_id", channel="C0DIGEST1") != "C0DIGEST1"
    assert digest.mention is not None and digest.mention.channel_id == "C0DIGEST1"
    audience = rows[t("admin.field.audience")]
    assert audience.mention is not None and audience.mention.channel_id == "C0GENERAL"
    assert audience.mention.lead == t(
        "admin.status.audience_lead", who=t("admin.choice.audience.channel")
    )
    alert = rows[t("admin.field.alert_channel")]
    assert (alert.value, alert.mention) == ("-", None)
    # No stored value is shown raw after a noun: no "yes", "True" or "None".
    for row in rows.values():
        assert row.value not in {"yes", "True", "False", "None"}
        assert not row.value.endswith((" yes", " True", " None"))
