"""Text typed into ``/nps`` with control characters (NUL, escape) or invisible ones (bidi
overrides, zero-width), on SQLite and PostgreSQL, whose text refuses a NUL: a setting, a
group or a label holding a control character is refused in the admin's words, free text
(an action, the next wave's note) keeps only its visible characters, and no request
fails."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.admin import FormErrors, Setting
from bot.views.common import Notice, ReportView, Tone
from bot.views.survey_form import survey_form
from storage.models import Survey

ADMIN = Person(platform="console", tenant="local", user_id="ivy", locale="en", is_admin=True)
JA_ADMIN = Person(platform="console", tenant="local", user_id="ivy", locale="ja", is_admin=True)
DUE = "--due 2026-04-01"


async def pulse(services: Services) -> Survey | None:
    async with services.database.transaction() as session:
        query = select(Survey).where(Survey.name == "pulse")
        return (await session.execute(query)).scalars().one_or_none()


REFUSED_SETTINGS = [
    ("survey edit pulse --subject 'Acme\x00Cloud'", "subject"),
    ("survey edit pulse --subject 'Acme\x1b[2JCloud'", "subject"),
    ("survey edit pulse --digest_channel 'C\x001'", "digest_channel"),
    ("survey edit pulse --alert_channel 'C\x001'", "alert_channel"),
    ("survey edit pulse --digest_cadence '0 9 * * mon\x00'", "digest_cadence"),
    ("survey edit pulse --cadence '0 9 * * mon\x00'", "cadence"),
    ("survey edit pulse --drivers 'growth=Gro\x00wth'", "drivers"),
    ("survey edit pulse --drivers 'growth=Gro\u202ewth'", "drivers"),
    ("survey edit pulse --drivers 'growth=Gro\u200bwth'", "drivers"),
]


@pytest.mark.parametrize(("text", "field"), REFUSED_SETTINGS)
async def test_a_setting_with_a_hidden_character_is_refused_and_nothing_changes(
    services: Services, text: str, field: str, caplog: pytest.LogCaptureFixture
) -> None:
    await services.commands.handle(ADMIN, "survey create pulse --subject Acme")
    before = await pulse(services)

    with caplog.at_level(logging.ERROR):
        refused = await services.commands.handle(ADMIN, text)
        in_japanese = await services.commands.handle(JA_ADMIN, text)

    assert isinstance(refused, FormErrors) and list(refused.errors) == [Setting(field)], refused
    assert isinstance(in_japanese, FormErrors) and in_japanese.text != refused.text
    after = await pulse(services)
    assert before is not None and after is not None
    assert after.model_dump() == before.model_dump()
    assert not caplog.records


async def test_a_driver_label_stored_before_the_rule_does_not_stop_an_edit_of_another_setting(
    services: Services,
) -> None:
    """The edit form carries back every setting as stored: a label stored before labels
    were held to the characters shown as themselves still reads, and is kept; typed
    again, or changed, it is refused."""
    await services.commands.handle(ADMIN, "survey create pulse --drivers growth=Growth")
    legacy = [{"key": "growth", "label": "Gro\u202ewth"}]
    async with services.database.transaction() as session:
        stored = (await session.execute(select(Survey).where(Survey.name == "pulse"))).scalar_one()
        stored.drivers = legacy
    before = await pulse(services)
    assert before is not None
    t = services.admin.translator(ADMIN)
    form = survey_form(t, platform=ADMIN.platform, survey=before)
    values: dict[Setting, object] = {item.setting: item.value for item in form.fields}

    edited = await services.admin.edit(ADMIN, "pulse", {**values, Setting.WINDOW_DAYS: "3"})

    assert isinstance(edited, Notice) and edited.tone is Tone.SUCCESS, edited
    after = await pulse(services)
    assert after is not None and after.window_days == 3 and after.drivers == legacy
    retyped = await services.admin.edit(
        ADMIN, "pulse", {Setting.DRIVERS: "growth=Gro\u202ewth, pay=Pay"}
    )
    assert isinstance(retyped, FormErrors) and list(retyped.errors) == [Setting.DRIVERS]
    kept = await pulse(services)
    assert kept is not None and kept.drivers == legacy


async def test_a_new_survey_with_a_hidden_character_in_its_subject_is_not_created(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        refused = await services.commands.handle(ADMIN, "survey create pulse --subject 'A\x00B'")

    assert isinstance(refused, FormErrors) and list(refused.errors) == [Setting.SUBJECT], refused
    assert await pulse(services) is None
    assert not caplog.records


@pytest.mark.parametrize("group", ["'te\x00am=a'", "'team=a\x00b'", "'team=a\x1bb'"])
async def test_a_share_of_a_group_with_a_hidden_character_is_refused(
    services: Services, group: str, caplog: pytest.LogCaptureFixture
) -> None:
    await services.commands.handle(ADMIN, "survey create pulse --kind nps")

    with caplog.at_level(logging.ERROR):
        refused = await services.commands.handle(ADMIN, f"survey share pulse <@U1> {group}")

    assert isinstance(refused, Notice) and refused.tone is Tone.ERROR, refused
    assert "wrong on our side" not in refused.text
    shares = await services.commands.handle(ADMIN, "survey shares pulse")
    assert isinstance(shares, ReportView) and not any(s.rows for s in shares.sections)
    assert not caplog.records


async def test_a_breakdown_by_a_label_with_a_hidden_character_is_refused(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    await services.commands.handle(ADMIN, "survey create pulse --kind nps")

    with caplog.at_level(logging.ERROR):
        refused = await services.commands.handle(ADMIN, "report pulse --by 'te\x00am'")
        in_japanese = await services.commands.handle(JA_ADMIN, "report pulse --by 'te\x00am'")

    assert isinstance(refused, Notice) and refused.tone is Tone.ERROR, refused
    assert "wrong on our side" not in refused.text
    assert isinstance(in_japanese, Notice) and in_japanese.text != refused.text
    assert not caplog.records


async def test_an_actions_text_keeps_only_its_visible_characters(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    await services.commands.handle(ADMIN, "survey create pulse --kind nps")

    with caplog.at_level(logging.ERROR):
        added = await services.commands.handle(
            ADMIN, f"actions add pulse --title 'Fix\x00 the\u202e wiki' --owner 'i\x00vy' {DUE}"
        )
        updated = await services.commands.handle(
            ADMIN,
            "actions update pulse #1 --note 'half\x00 done' --theme 'on\x00boarding'",
        )
        written = await services.commands.handle(
            ADMIN, "actions preview pulse --set-text 'We read\x00 every\u200b answer.'"
        )

    assert isinstance(added, Notice) and added.tone is Tone.SUCCESS, added
    assert isinstance(updated, Notice) and updated.tone is Tone.SUCCESS, updated
    assert isinstance(written, ReportView) and written.headline == "We read every answer."
    listed = await services.commands.handle(ADMIN, "actions list pulse")
    assert isinstance(listed, ReportView)
    [row] = listed.sections[0].rows
    assert row.label == "#1 Fix the wiki"
    assert "half done" in row.value and "onboarding" in row.value and "ivy" in row.value
    assert not caplog.records
