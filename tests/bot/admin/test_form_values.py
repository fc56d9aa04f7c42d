"""Property tests of the survey form: bounds, audiences, drivers, and an unchanged form
changes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.drivers import (
    KEY_PATTERN,
    LABEL_LIMIT,
    MAX_DRIVERS,
    DriverError,
    DriverProblem,
    parse_drivers,
)
from bot.domain.errors import SurveyError
from bot.i18n import Catalogs
from bot.views.admin import Audience, Setting
from bot.views.survey_form import AUDIENCES, BOUNDS, settings_from, survey_form
from storage.models import Survey

CATALOGS = Catalogs()
NUMBERS = sorted(BOUNDS)


@given(setting=st.sampled_from(NUMBERS), number=st.integers(-1000, 1000))
def test_a_number_is_accepted_exactly_inside_its_bounds(setting: Setting, number: int) -> None:
    low, high = BOUNDS[setting]
    if low <= number <= high:
        assert settings_from({setting: str(number)}, platform="slack") == {setting.value: number}
        return
    with pytest.raises(SurveyError) as refused:
        settings_from({setting: number}, platform="slack")
    assert (refused.value.key, refused.value.field) == ("admin.error.range", setting.value)


@given(setting=st.sampled_from(NUMBERS), text=st.text().filter(lambda s: not s.strip().isdigit()))
def test_anything_but_a_whole_number_is_refused(setting: Setting, text: str) -> None:
    try:
        int(text)
    except ValueError:
        with pytest.raises(SurveyError) as refused:
            settings_from({setting: text}, platform="slack")
        assert (refused.value.key, refused.value.field) == ("admin.error.number", setting.value)


@given(
    platform=st.sampled_from(sorted(AUDIENCES)),
    audience=st.sampled_from(list(Audience)),
    target=st.sampled_from(["", "  ", "C0123", "S0456", "810000000000000002"]),
)
def test_an_audience_is_one_the_platform_reaches_with_its_target(
    platform: str, audience: Audience, target: str
) -> None:
    values = {Setting.AUDIENCE: audience.value, Setting.AUDIENCE_TARGET: target}
    allowed = audience in AUDIENCES[platform]
    if allowed and (audience is Audience.EVERYONE or target.strip()):
        expected = {"everyone": "yes"} if audience is Audience.EVERYONE else {audience: target}
        assert settings_from(values, platform=platform) == {"audience": expected}
        return
    with pytest.raises(SurveyError) as refused:
        settings_from(values, platform=platform)
    field = Setting.AUDIENCE if not allowed else Setting.AUDIENCE_TARGET
    assert refused.value.field == field.value


LABELS = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters=","),
    min_size=1,
    max_size=LABEL_LIMIT,
).filter(lambda label: label == label.strip() and bool(label))
"""Labels a form can carry back: no comma (it separates drivers), no outer spaces."""

surveys = st.fixed_dictionaries(
    dict(
        name=st.text(min_size=1, max_size=64).filter(str.strip),
        kind=st.sampled_from(["nps", "enps"]),
        subject=st.text(max_size=200).map(str.strip),
        audience=st.sampled_from([{"everyone": "yes"}, {"channel": "C0123"}, {"usergroup": "S01"}]),
        cadence=st.sampled_from([None, "0 10 * * mon", "30 9 1 1,7 *"]),
        timezone=st.sampled_from(["UTC", "Asia/Tokyo", "Europe/Paris"]),
        digest_channel=st.sampled_from([None, "C0DIGEST1"]),
        digest_cadence=st.sampled_from([None, "0 9 * * mon", "0 8 1 * *"]),
        alert_channel=st.sampled_from([None, "C0ALERTS1"]),
        drivers=st.lists(
            st.fixed_dictionaries(
                {"key": st.from_regex(KEY_PATTERN, fullmatch=True), "label": LABELS}
            ),
            max_size=MAX_DRIVERS,
            unique_by=lambda driver: driver["key"],
        ),
        k_min=st.integers(*BOUNDS[Setting.K_MIN]),
        window_days=st.integers(*BOUNDS[Setting.WINDOW_DAYS]),
        reminders=st.integers(*BOUNDS[Setting.REMINDERS]),
        locale=st.sampled_from(["en", "ja"]),
        created_at=st.just(datetime(2026, 1, 1, tzinfo=UTC)),
        tenant_id=st.just(uuid.uuid4()),
    )
).map(Survey.model_validate)


@given(survey=surveys, language=st.sampled_from(["en", "ja"]))
def test_submitting_the_prefilled_edit_form_unchanged_changes_nothing(
    survey: Survey, language: str
) -> None:
    form = survey_form(CATALOGS.translator(language), platform="slack", survey=survey)
    changes = settings_from({item.setting: item.value for item in form.fields}, platform="slack")
    assert {key: getattr(survey, key) for key in changes} == changes


@given(
    text=st.text(st.sampled_from("ab_1=, Xé"), max_size=120),
    language=st.sampled_from(["en", "ja"]),
)
def test_drivers_are_read_as_the_command_line_reads_them_or_refused_in_words(
    text: str, language: str
) -> None:
    try:
        expected = [question.to_json() for question in parse_drivers(text)]
    except DriverError as error:
        with pytest.raises(SurveyError) as refused:
            settings_from({Setting.DRIVERS: text}, platform="slack")
        assert refused.value.field == Setting.DRIVERS.value
        assert refused.value.key == f"admin.error.drivers.{error.problem}"
        assert str(refused.value) == str(error)  # the operator's English reason
        shown = CATALOGS.translator(language)(refused.value.key, **refused.value.params)
        assert "{" not in shown and str(error) not in shown
        return
    assert settings_from({Setting.DRIVERS: text}, platform="slack") == {"drivers": expected}


@pytest.mark.parametrize(
    ("text", "problem", "params"),
    [
        (
            ",".join(f"d{n}=D{n}" for n in range(6)),
            DriverProblem.TOO_MANY,
            {"limit": 5, "count": 6},
        ),
        ("Growth=Growth", DriverProblem.BAD_KEY, {"driver": "Growth", "limit": 32}),
        ("a=A, a=Again", DriverProblem.DUPLICATE_KEY, {"driver": "a"}),
        ("a=" + "x" * 41, DriverProblem.LABEL, {"driver": "a", "limit": 40}),
        ("a=", DriverProblem.LABEL, {"driver": "a", "limit": 40}),
        ("growth", DriverProblem.MALFORMED, {"item": "growth"}),
    ],
)
def test_each_driver_problem_has_its_own_message(
    text: str, problem: DriverProblem, params: dict[str, object]
) -> None:
    with pytest.raises(SurveyError) as refused:
        settings_from({Setting.DRIVERS: text}, platform="slack")
    assert (refused.value.key, refused.value.params) == (f"admin.error.drivers.{problem}", params)
    en, ja = CATALOGS.translator("en"), CATALOGS.translator("ja")
    assert en(refused.value.key, **params) != ja(refused.value.key, **params)


def test_blank_optional_settings_are_cleared() -> None:
    blank = {Setting.DIGEST_CADENCE: " ", Setting.ALERT_CHANNEL: "", Setting.DRIVERS: "  "}
    assert settings_from(blank, platform="slack") == {
        "digest_cadence": None,
        "alert_channel": None,
        "drivers": [],
    }
