"""Every ``/nps`` command through the one entry every platform uses, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.domain.commands import SurveyAction, SurveyCommand, SurveyUsage
from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.admin import DeleteConfirmation, FormErrors, Setting, SurveyForm
from bot.views.common import Notice, ReportView, ScorePrompt, Tone
from storage.models import ReleasedGroup, Survey


def person(*, admin: bool = False, locale: str = "en") -> Person:
    return Person(platform="console", tenant="local", user_id="ivy", locale=locale, is_admin=admin)


async def surveys(services: Services) -> dict[str, Survey]:
    async with services.database.transaction() as session:
        return {s.name: s for s in (await session.execute(select(Survey))).scalars()}


SURVEY_TEXTS = [
    "survey",
    "survey dance",
    "survey create",
    "survey create pulse --kind nps",
    "survey edit pulse",
    "survey edit pulse --k_min 9",
    "survey list",
    "survey status",
    "survey status pulse",
    "survey start pulse",
    "survey close pulse",
    "survey delete",
    "survey delete pulse --yes",
]


@pytest.mark.parametrize("text", SURVEY_TEXTS)
async def test_someone_who_is_not_an_admin_gets_one_refusal_for_every_survey_command(
    services: Services, text: str
) -> None:
    await services.commands.handle(person(admin=True), "survey create pulse --k_min 7")
    before = await surveys(services)

    refused = await services.commands.handle(person(locale="ja"), text)

    assert refused == services.admin.not_allowed(person(locale="ja"))
    assert isinstance(refused, Notice) and "管理者だけ" in refused.text
    after = await surveys(services)
    assert after.keys() == before.keys() and after["pulse"].k_min == 7


async def test_typed_settings_create_a_survey_from_the_blank_forms_values(
    services: Services,
) -> None:
    text = 'survey create pulse --kind nps --subject "Acme Cloud" --k 7 --window-days 3'
    created = await services.commands.handle(person(admin=True, locale="ja"), text)

    assert isinstance(created, Notice) and created.tone is Tone.SUCCESS
    pulse = (await surveys(services))["pulse"]
    assert (pulse.kind, pulse.subject) == ("nps", "Acme Cloud")
    assert (pulse.k_min, pulse.window_days) == (7, 3)
    # Not given: what the blank form shows (the admin's language, two reminders, UTC).
    assert (pulse.locale, pulse.reminders, pulse.timezone) == ("ja", 2, "UTC")
    assert (pulse.audience, pulse.cadence, pulse.drivers) == ({"everyone": "yes"}, None, [])


async def test_an_unknown_or_refused_setting_stores_nothing_and_says_why(
    services: Services,
) -> None:
    boss = person(admin=True)
    unknown = await services.commands.handle(boss, "survey create pulse --colour blue --k 7")
    out_of_range = await services.commands.handle(boss, "survey create pulse --k 2")

    assert isinstance(unknown, Notice) and unknown.tone is Tone.ERROR
    assert unknown.text.startswith("There is no setting called colour.")
    assert "k_min" in unknown.text
    assert isinstance(out_of_range, FormErrors)
    assert out_of_range.errors == {Setting.K_MIN: "Enter a number from 3 to 100."}
    assert await surveys(services) == {}


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("--k_min 7 --k_min 6", "k_min"),
        ("--k 7 --k_min 7", "k_min"),
        ("--window-days 3 --window_days=4 --subject a --subject b", "subject, window_days"),
    ],
)
async def test_a_setting_typed_twice_is_refused_in_the_admins_words_and_nothing_changes(
    services: Services, typed: str, named: str
) -> None:
    boss = person(admin=True)
    created = await services.commands.handle(boss, f"survey create twice {typed}")
    await services.commands.handle(boss, "survey create pulse --k 9")
    edited = await services.commands.handle(
        person(admin=True, locale="ja"), f"survey edit pulse {typed}"
    )

    assert created == Notice(
        f"You gave {named} more than once: give each setting once.", Tone.ERROR
    )
    assert isinstance(edited, Notice) and edited.tone is Tone.ERROR
    assert edited.text.startswith(f"{named} が複数回指定されています")
    assert list(await surveys(services)) == ["pulse"]
    assert (await surveys(services))["pulse"].k_min == 9


@pytest.mark.parametrize("name", ["pul\x00se", "pul\u200bse", "\u202eesluP"])
async def test_a_name_hiding_characters_is_refused_in_the_admins_words(
    services: Services, name: str
) -> None:
    refused = await services.commands.handle(
        person(admin=True, locale="ja"), f"survey create {name} --k 7"
    )

    assert isinstance(refused, FormErrors)
    assert list(refused.errors) == [Setting.NAME]
    assert refused.errors[Setting.NAME].startswith(
        "名前に使えるのは表示される文字とスペースだけです"
    )
    assert await surveys(services) == {}


async def test_create_or_edit_without_settings_gives_the_form_to_fill(
    services: Services,
) -> None:
    boss = person(admin=True)
    blank = await services.commands.handle(boss, "survey create")
    assert isinstance(blank, SurveyForm) and blank.editing is None
    assert blank.typed.startswith("To create it by typing, send /nps survey create NAME")
    await services.commands.handle(boss, "survey create pulse --k 7")

    editing = await services.commands.handle(boss, "survey edit pulse")

    assert isinstance(editing, SurveyForm) and editing.editing == "pulse"
    k_min = editing.field(Setting.K_MIN)
    assert k_min is not None and k_min.value == "7"
    assert "/nps survey edit pulse" in editing.typed


async def test_an_edit_changes_only_what_was_given(services: Services) -> None:
    boss = person(admin=True)
    await services.commands.handle(boss, "survey create pulse --k 7 --subject Acme")

    changed = await services.commands.handle(
        boss, 'survey edit pulse --window_days 10 --cadence ""'
    )
    # Typed options (Discord's) that change nothing are an edit, not a request for the form.
    unchanged = await services.commands.run(
        boss, SurveyCommand(SurveyAction.EDIT, name="pulse", settings={})
    )

    assert changed == unchanged == Notice('Survey "pulse" updated.', Tone.SUCCESS)
    pulse = (await surveys(services))["pulse"]
    assert (pulse.window_days, pulse.cadence, pulse.k_min, pulse.subject) == (10, None, 7, "Acme")


async def test_delete_asks_first_unless_confirmed_with_yes(services: Services) -> None:
    boss = person(admin=True)
    await services.commands.handle(boss, "survey create pulse --k 7")

    question = await services.commands.handle(boss, "survey delete pulse")
    assert isinstance(question, DeleteConfirmation) and question.survey == "pulse"
    assert question.typed == "To delete it, send /nps survey delete pulse --yes"
    assert "pulse" in await surveys(services)

    deleted = await services.commands.handle(boss, "survey delete pulse --yes")
    assert isinstance(deleted, Notice) and deleted.text.startswith('Survey "pulse" deleted')
    assert "pulse" not in await surveys(services)


async def test_status_without_a_name_is_the_default_surveys(services: Services) -> None:
    status = await services.commands.handle(person(admin=True), "survey status")
    assert isinstance(status, ReportView) and status.title == "Survey status: default"


async def test_incomplete_commands_get_the_usage_and_reaching_needs_a_platform(
    services: Services,
) -> None:
    boss = person(admin=True)
    await services.commands.handle(boss, "survey create pulse --k 7")
    usage = services.admin.usage(boss, SurveyUsage())

    assert await services.commands.handle(boss, "survey close") == usage
    assert await services.commands.handle(boss, "/nps survey dance") == usage
    assert await services.commands.run(boss, SurveyCommand(SurveyAction.START)) == usage
    cannot = await services.commands.handle(boss, "survey start pulse")
    assert cannot == Notice("The console adapter cannot deliver surveys from here.", Tone.ERROR)


async def test_an_option_a_survey_subcommand_does_not_take_is_named_back_and_nothing_runs(
    services: Services,
) -> None:
    boss = person(admin=True)
    await services.commands.handle(boss, "survey create pulse --k 7")

    for typed, action, word in (
        ("survey start pulse --k_min 9", "start", "--k_min"),
        ("survey close pulse --yse", "close", "--yse"),
        ("survey delete pulse --yes --force", "delete", "--force"),
        ("survey status pulse --verbose", "status", "--verbose"),
    ):
        said = await services.commands.handle(boss, typed)
        assert said == Notice(
            f"/nps survey {action} does not take “{word}”. "
            + services.admin.usage(boss, SurveyUsage()).text,
            Tone.WARNING,
        )
    in_japanese = await services.commands.handle(
        person(admin=True, locale="ja"), "survey close pulse --now"
    )
    assert isinstance(in_japanese, Notice)
    assert in_japanese.text.startswith("/nps survey close に「--now」は指定できません。")
    left = await surveys(services)
    assert left["pulse"].k_min == 7 and left["pulse"].status == "active", "nothing ran"


async def test_conversation_commands_reach_the_engine(services: Services) -> None:
    who = person(locale="ja")
    assert isinstance(await services.commands.handle(who, "/nps"), ScorePrompt)
    unknown = await services.commands.handle(who, "Dance")
    assert isinstance(unknown, Notice) and "Dance" in unknown.text
    assert unknown.tone is Tone.WARNING


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("\x1b[2Jhelo", "[2Jhelo"),
        ("he\x00lo", "helo"),
        ("x" * 5000, "x" * 39 + "…"),
    ],
)
async def test_an_unknown_command_is_named_back_without_control_characters_and_cut(
    services: Services, typed: str, named: str
) -> None:
    said = await services.commands.handle(person(), typed)

    assert said == Notice(
        f'I don\'t know the command "{named}". Send /nps help for the list.', Tone.WARNING
    )


async def released_groups(services: Services) -> int:
    async with services.database.transaction() as session:
        return len((await session.execute(select(ReleasedGroup))).scalars().all())


@pytest.mark.parametrize(
    ("typed", "named", "fault"),
    [
        ("report --perod month", "--perod", {"en": "does not take", "ja": "指定できません"}),
        ("report default last 3", "last", {"en": "does not take", "ja": "指定できません"}),
        ("report --by", "--by", {"en": "needs a value", "ja": "値を指定"}),
        ("report --by team --by role", "--by", {"en": "given twice", "ja": "2 回"}),
    ],
)
async def test_a_report_with_a_word_it_does_not_take_gives_its_usage_and_releases_nothing(
    services: Services, typed: str, named: str, fault: dict[str, str]
) -> None:
    for number, score in enumerate([10, 9, 9, 8, 3, 0]):
        who = Person(platform="console", tenant="local", user_id=f"peer{number}")
        prompt = await services.engine.start(who)
        assert isinstance(prompt, ScorePrompt)
        await services.engine.record_score(who, survey_id=prompt.survey_id, score=score)

    for locale, usage in (("en", "Usage: /nps report [SURVEY]"), ("ja", "使い方: /nps report")):
        said = await services.commands.handle(person(admin=True, locale=locale), typed)
        assert isinstance(said, Notice) and said.tone is Tone.WARNING
        assert usage in said.text and named in said.text and fault[locale] in said.text
    assert await released_groups(services) == 0

    shown = await services.commands.handle(person(admin=True), "report --period month")
    assert isinstance(shown, ReportView)
    assert await released_groups(services) > 0, "the report itself releases its groups"
