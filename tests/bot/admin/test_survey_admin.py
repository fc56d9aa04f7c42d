"""Survey administration use cases on SQLite and PostgreSQL, in the admin's language."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from bot.domain.errors import SurveyError
from bot.i18n import Catalogs
from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.usecases.surveys import SurveySpec, create_survey, edit_survey
from bot.views.admin import DeleteConfirmation, FormErrors, Setting, SurveyForm
from bot.views.common import Notice, ReportView, Tone
from storage.models import Invitation, Survey
from tests.bot.admin.conftest import MEMBERS, admin, member
from tests.doubles.slack_api import SlackApiDouble

PULSE: dict[Setting, object] = {
    Setting.NAME: "pulse",
    Setting.KIND: "enps",
    Setting.SUBJECT: "Acme as a place to work",
    Setting.AUDIENCE: "everyone",
    Setting.CADENCE: "0 10 8-14 4,10 tue",
    Setting.WINDOW_DAYS: "7",
    Setting.REMINDERS: "2",
    Setting.DIGEST_CHANNEL: "C0DIGEST1",
    Setting.K_MIN: "5",
    Setting.TIMEZONE: "Europe/Paris",
    Setting.LOCALE: "en",
}


async def surveys(services: Services) -> list[Survey]:
    async with services.database.transaction() as session:
        return list((await session.execute(select(Survey).order_by(Survey.name))).scalars())


def rows(view: object) -> dict[str, str]:
    assert isinstance(view, ReportView), view
    return {row.label: row.value for section in view.sections for row in section.rows}


async def test_an_admin_creates_lists_and_reads_a_survey(services: Services) -> None:
    created = await services.admin.create(admin(), PULSE)
    assert created == Notice('Survey "pulse" created.', Tone.SUCCESS)
    [survey] = await surveys(services)
    assert (survey.kind, survey.subject, survey.cadence, survey.timezone) == (
        "enps",
        "Acme as a place to work",
        "0 10 8-14 4,10 tue",
        "Europe/Paris",
    )
    assert (survey.window_days, survey.reminders, survey.k_min) == (7, 2, 5)
    assert survey.audience == {"everyone": "yes"} and survey.digest_channel == "C0DIGEST1"

    listed = await services.admin.list(admin())
    assert rows(listed) == {"pulse": "eNPS · active · k = 5 · 0 answers"}
    status = rows(await services.admin.status(admin(), "pulse"))
    assert status["Time zone"] == "Europe/Paris" and status["Answers"] == "0"


async def test_the_form_is_in_the_admins_language_and_prefilled_for_editing(
    services: Services,
) -> None:
    blank = await services.admin.form(admin(locale="ja-JP"))
    assert isinstance(blank, SurveyForm) and blank.editing is None
    assert blank.title == "新しいアンケート"
    kind = blank.field(Setting.KIND)
    assert kind is not None and [c.value for c in kind.choices] == ["enps", "nps"]
    audience = blank.field(Setting.AUDIENCE)
    assert audience is not None
    assert [c.value for c in audience.choices] == ["everyone", "channel", "usergroup"]

    await services.admin.create(admin(), PULSE)
    edit = await services.admin.form(admin(), "pulse")
    assert isinstance(edit, SurveyForm) and edit.editing == "pulse"
    assert edit.field(Setting.NAME) is None and edit.field(Setting.KIND) is None
    k = edit.field(Setting.K_MIN)
    assert k is not None and (k.value, k.low, k.high) == ("5", 3, 100)


async def test_bad_settings_are_refused_per_field_and_nothing_is_stored(
    services: Services,
) -> None:
    cases = {
        Setting.CADENCE: ("every tuesday", "is not a valid crontab line"),
        Setting.TIMEZONE: ("Mars/Olympus", "is not a time zone I know"),
        Setting.K_MIN: ("2", "Enter a number from 3 to 100."),
        Setting.WINDOW_DAYS: ("a week", "Enter a whole number."),
        Setting.NAME: ("", "A name needs 1 to 64 characters."),
        Setting.LOCALE: ("fr", "Choose one of these languages: en, ja."),
    }
    for setting, (value, reason) in cases.items():
        refused = await services.admin.create(admin(), {**PULSE, setting: value})
        assert isinstance(refused, FormErrors), setting
        assert list(refused.errors) == [setting] and reason in refused.errors[setting]
    no_channel = await services.admin.create(admin(), {**PULSE, Setting.AUDIENCE: "channel"})
    assert isinstance(no_channel, FormErrors)
    assert list(no_channel.errors) == [Setting.AUDIENCE_TARGET]
    assert await surveys(services) == []


async def test_refusals_speak_the_admins_language(services: Services) -> None:
    refused = await services.admin.create(admin(locale="ja"), {**PULSE, Setting.K_MIN: "x"})
    assert isinstance(refused, FormErrors) and refused.text == "整数を入力してください。"
    unknown = await services.admin.status(admin(locale="ja"), "nope")
    assert unknown == Notice("ここには「nope」というアンケートはありません。", Tone.ERROR)


async def test_a_name_is_taken_once_per_workspace(services: Services) -> None:
    await services.admin.create(admin(), PULSE)
    again = await services.admin.create(admin(), PULSE)
    assert isinstance(again, FormErrors)
    assert again.errors == {Setting.NAME: 'A survey called "pulse" exists already.'}


async def test_k_cannot_be_lowered_once_answers_exist_and_the_reason_is_given(
    services: Services,
) -> None:
    await services.admin.create(admin(), PULSE)
    [survey] = await surveys(services)
    await services.engine.record_score(member(), survey_id=str(survey.id), score=9)

    lowered = await services.admin.edit(admin(), "pulse", {Setting.K_MIN: "3"})
    assert isinstance(lowered, FormErrors) and Setting.K_MIN in lowered.errors
    assert "k cannot go below 5" in lowered.errors[Setting.K_MIN]
    raised = await services.admin.edit(admin(), "pulse", {Setting.K_MIN: "7"})
    assert raised == Notice('Survey "pulse" updated.', Tone.SUCCESS)
    [survey] = await surveys(services)
    assert survey.k_min == 7


async def test_k_above_100_is_refused_on_every_path_in_the_admins_language(
    services: Services,
) -> None:
    where = {"platform": "slack", "tenant": "T0NPS0001"}
    with pytest.raises(SurveyError) as creating:
        await create_survey(
            services.database,
            **where,
            spec=SurveySpec(name="pulse", k_min=101),
            now=services.clock(),
            default_locale="en",
        )
    assert (creating.value.key, creating.value.params) == ("admin.error.k_max", {"limit": 100})
    ja = Catalogs().translator("ja")
    assert ja(creating.value.key, **creating.value.params).startswith("k は 100 以下にしてください")
    assert await surveys(services) == []

    await services.admin.create(admin(), PULSE)
    with pytest.raises(SurveyError, match="k can be at most 100"):
        await edit_survey(services.database, **where, name="pulse", changes={"k_min": 101})
    typed = await services.admin.edit(admin(locale="ja"), "pulse", {Setting.K_MIN: "101"})
    assert isinstance(typed, FormErrors) and typed.errors == {
        Setting.K_MIN: "3〜100 の数を入力してください。"
    }
    [survey] = await surveys(services)
    assert survey.k_min == 5


async def test_a_survey_stored_with_a_larger_k_before_the_bound_can_still_be_edited(
    services: Services,
) -> None:
    await services.admin.create(admin(), PULSE)
    async with services.database.transaction() as session:
        await session.execute(update(Survey).values(k_min=200, k_comments=200))

    edited = await services.admin.edit(admin(), "pulse", {Setting.WINDOW_DAYS: "3"})

    assert edited == Notice('Survey "pulse" updated.', Tone.SUCCESS)
    [survey] = await surveys(services)
    assert (survey.window_days, survey.k_min) == (3, 200)


async def test_people_who_are_not_admins_are_refused_everything(
    services: Services, reach: Reach
) -> None:
    await services.admin.create(admin(), PULSE)
    someone = member()
    refusal = Notice("Only survey admins can manage surveys.", Tone.WARNING)
    views = [
        await services.admin.list(someone),
        await services.admin.status(someone, "pulse"),
        await services.admin.form(someone),
        await services.admin.create(someone, {**PULSE, Setting.NAME: "mine"}),
        await services.admin.edit(someone, "pulse", {Setting.K_MIN: "9"}),
        await services.admin.start(someone, reach, "pulse"),
        await services.admin.close(someone, reach, "pulse"),
        await services.admin.confirm_delete(someone, "pulse"),
        await services.admin.delete(someone, "pulse"),
    ]
    assert views == [refusal] * len(views)
    [survey] = await surveys(services)
    assert (survey.name, survey.k_min) == ("pulse", 5)


async def test_start_invites_through_the_reach_and_close_ends_the_wave(
    services: Services, reach: Reach, slack: SlackApiDouble
) -> None:
    await services.admin.create(admin(), {**PULSE, Setting.TIMEZONE: "UTC"})

    started = await services.admin.start(admin(), reach, "pulse")
    assert started == Notice(
        'Survey "pulse" started: 3 people invited, 3 asked right away; the rest are asked in '
        "their working hours.",
        Tone.SUCCESS,
    )
    assert sorted(c.params["channel"] for c in slack.calls("chat.postMessage")) == list(MEMBERS)
    status = await services.admin.status(admin(), "pulse")
    assert rows(status)["Sent"] == "3"

    closed = await services.admin.close(admin(), reach, "pulse")
    assert closed == Notice('Survey "pulse": 1 open wave closed.', Tone.SUCCESS)
    assert rows(await services.admin.status(admin(), "pulse"))["State"] == "closed"


async def test_delete_asks_first_then_removes_the_survey_and_its_wave(
    services: Services, reach: Reach
) -> None:
    await services.admin.create(admin(), {**PULSE, Setting.TIMEZONE: "UTC"})
    await services.admin.start(admin(), reach, "pulse")

    question = await services.admin.confirm_delete(admin(), "pulse")
    assert isinstance(question, DeleteConfirmation) and question.survey == "pulse"
    assert "cannot be undone" in question.question
    deleted = await services.admin.delete(admin(), "pulse")
    assert isinstance(deleted, Notice) and deleted.tone is Tone.SUCCESS
    assert await surveys(services) == []
    async with services.database.transaction() as session:
        left = (await session.execute(select(func.count()).select_from(Invitation))).scalar_one()
    assert left == 0
    again = await services.admin.delete(admin(), "pulse")
    assert again == Notice('There is no survey called "pulse" here.', Tone.ERROR)


async def test_a_platform_refusal_while_starting_is_reported_and_the_survey_is_kept(
    services: Services, reach: Reach, slack: SlackApiDouble
) -> None:
    await services.admin.create(admin(), PULSE)
    slack.faults.fail("users.list", error="team_access_not_granted")

    refused = await services.admin.start(admin(locale="ja"), reach, "pulse")

    assert refused == Notice(
        "アンケートの開始または締め切りの途中でプラットフォームに拒否されました。"
        "すでに招待された人には勤務時間内に届きます。"
        "残りの人に届けるには、後でもう一度コマンドを実行してください。",
        Tone.ERROR,
    )
    assert [survey.name for survey in await surveys(services)] == ["pulse"]
