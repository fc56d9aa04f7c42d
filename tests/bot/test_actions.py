"""Action plans through the one ``/nps`` dispatcher: admins add, list and update;
a scoped viewer does the same for their own group only; anyone else is refused."""

from __future__ import annotations

from bot.domain.commands import ActionsCommand, ActionsVerb, parse_command
from bot.runtime.services import Services
from bot.views.actions import ActionField, ActionForm, ActionFormErrors
from bot.views.common import Notice, ReportView, Tone
from tests.bot.viewers_world import ADMIN, LEAD, OTHER, answer, mention, run, team
from tests.support.clock import Clock

ADD = "actions add --title 'Write an onboarding guide' --owner <@U0ADMIN01> --due 2026-04-01"


def test_the_grammar_reads_actions_commands() -> None:
    assert parse_command("actions") == ActionsCommand()
    assert parse_command("/nps actions list pulse check") == ActionsCommand(survey="pulse check")
    added = parse_command("actions add pulse --owner <@U0OWNER|ann> --theme onboarding")
    assert isinstance(added, ActionsCommand) and added.action is ActionsVerb.ADD
    assert added.survey == "pulse" and dict(added.options or {}) == {
        "owner": "U0OWNER",
        "theme": "onboarding",
    }
    updated = parse_command("actions update pulse #3 --status done")
    assert isinstance(updated, ActionsCommand)
    assert (updated.survey, updated.number, dict(updated.options or {})) == (
        "pulse",
        3,
        {"status": "done"},
    )
    assert parse_command("actions update pulse").number is None  # type: ignore[union-attr]
    preview = parse_command("actions preview --set-text 'We heard you'")
    assert preview == ActionsCommand(
        action=ActionsVerb.PREVIEW, options={"set_text": "We heard you"}
    )


async def test_an_admin_adds_lists_and_updates_an_action(services: Services) -> None:
    await answer(services, team("eng", 9, 3))
    t = services.catalogs.translator("en")
    added = await run(services, ADMIN, f"{ADD} --theme onboarding")
    assert added == Notice(
        t("actions.added", number=1, survey="default", title="Write an onboarding guide"),
        Tone.SUCCESS,
    )
    listed = await run(services, ADMIN, "actions")
    assert isinstance(listed, ReportView)
    [row] = listed.sections[0].rows
    assert row.label == "#1 Write an onboarding guide"
    assert "U0ADMIN01" in row.value and t("actions.about.theme", theme="onboarding") in row.value
    updated = await run(services, ADMIN, "actions update #1 --status in-progress --note 'half'")
    assert updated == Notice(
        t("actions.updated", number=1, survey="default", status=t("actions.status.in_progress")),
        Tone.SUCCESS,
    )
    again = await run(services, ADMIN, "actions list default")
    assert isinstance(again, ReportView) and "half" in again.sections[0].rows[0].value


async def test_every_refusal_of_a_typed_action_comes_at_once_and_nothing_is_stored(
    services: Services,
) -> None:
    await answer(services, team("eng", 9))
    t = services.catalogs.translator("en")
    refused = await run(services, ADMIN, "actions add --due 2026-03-01 --theme pay --driver growth")
    assert isinstance(refused, ActionFormErrors)
    assert refused.errors == {
        ActionField.TITLE: t("actions.error.required"),
        ActionField.OWNER: t("actions.error.required"),
        ActionField.DUE: t("actions.error.due_past"),
        ActionField.THEME: t("actions.error.both_subjects"),
    }
    listed = await run(services, ADMIN, "actions")
    assert isinstance(listed, ReportView) and listed.headline == t("actions.none")


async def test_an_owner_who_is_no_person_of_the_platform_is_refused_and_a_mention_is_kept(
    services: Services,
) -> None:
    # The owner's reminder is a direct message: "Ann" would be sent to nobody.
    await answer(services, team("eng", 9))
    t = services.catalogs.translator("en")
    due = "--due 2026-12-30"
    named = await run(services, ADMIN, f"actions add --title 'Fix it' --owner Ann {due}")
    assert named == ActionFormErrors(
        errors={ActionField.OWNER: t("actions.error.owner_id")}, text=t("actions.error.owner_id")
    )
    listed = await run(services, ADMIN, "actions")
    assert isinstance(listed, ReportView) and listed.headline == t("actions.none")

    added = await run(
        services, ADMIN, f"actions add --title 'Fix it' --owner {mention(LEAD)} {due}"
    )
    assert isinstance(added, Notice) and added.tone is Tone.SUCCESS
    renamed = await run(services, ADMIN, "actions update #1 --owner 'Ann Lee'")
    assert isinstance(renamed, ActionFormErrors) and list(renamed.errors) == [ActionField.OWNER]
    again = await run(services, ADMIN, "actions")
    assert isinstance(again, ReportView) and LEAD.user_id in again.sections[0].rows[0].value


async def test_without_options_add_and_update_answer_with_the_form(services: Services) -> None:
    await answer(services, team("eng", 9))
    blank = await run(services, ADMIN, "actions add")
    assert isinstance(blank, ActionForm) and blank.number is None and blank.survey == "default"
    await run(services, ADMIN, ADD)
    filled = await run(services, ADMIN, "actions update #1")
    assert isinstance(filled, ActionForm) and filled.number == 1
    values = {item.field: item.value for item in filled.inputs}
    assert values[ActionField.DUE] == "2026-04-01" and values[ActionField.STATUS] == "planned"


async def test_a_bad_status_move_is_refused(services: Services, clock: Clock) -> None:
    await answer(services, team("eng", 9))
    await run(services, ADMIN, ADD)
    await run(services, ADMIN, "actions update #1 --status done")
    refused = await run(services, ADMIN, "actions update #1 --status dropped")
    assert isinstance(refused, ActionFormErrors) and list(refused.errors) == [ActionField.STATUS]
    missing = await run(services, ADMIN, "actions update #7 --status done")
    t = services.catalogs.translator("en")
    assert missing == Notice(t("actions.error.unknown", number=7), Tone.ERROR)


async def test_a_scoped_viewer_acts_for_their_group_only(services: Services) -> None:
    await answer(services, [*team("eng", 9, 3), *team("ops", 7)])
    await run(services, ADMIN, ADD)
    await run(services, ADMIN, f"survey share default {mention(LEAD)} team=eng")
    t = services.catalogs.translator("en")

    own = await run(
        services, LEAD, "actions add --title 'Pair on reviews' --owner U0LEAD001 --due 2026-04-02"
    )
    assert isinstance(own, Notice) and own.tone is Tone.SUCCESS
    seen = await run(services, LEAD, "actions")
    assert isinstance(seen, ReportView)
    assert [row.label for row in seen.sections[0].rows] == ["#2 Pair on reviews"]
    # The admin's action is outside the group: it is as if it did not exist.
    outside = await run(services, LEAD, "actions update #1 --status done")
    assert outside == Notice(t("actions.error.unknown", number=1), Tone.ERROR)
    everything = await run(services, ADMIN, "actions")
    assert isinstance(everything, ReportView) and len(everything.sections[0].rows) == 2
    # The preview of the next wave is for admins only.
    assert await run(services, LEAD, "actions preview") == Notice(
        t("admin.not_allowed"), Tone.WARNING
    )


async def test_anyone_else_is_refused(services: Services) -> None:
    await answer(services, team("eng", 9))
    t = services.catalogs.translator("en")
    for text in ("actions", ADD, "actions update #1 --status done", "actions preview"):
        assert await run(services, OTHER, text) == Notice(t("admin.not_allowed"), Tone.WARNING)


async def test_the_preview_shows_the_bots_text_until_an_admin_writes_one(
    services: Services,
) -> None:
    await answer(services, team("eng", 9))
    t = services.catalogs.translator("en")
    await run(services, ADMIN, ADD)
    empty = await run(services, ADMIN, "actions preview")
    assert isinstance(empty, ReportView) and empty.headline == t("actions.preview.empty")
    await run(services, ADMIN, "actions update #1 --status in_progress")
    generated = await run(services, ADMIN, "actions preview")
    assert isinstance(generated, ReportView)
    assert generated.headline == t("actions.note.done", actions="Write an onboarding guide")
    assert t("actions.preview.generated") in generated.sections[0].notes
    written = await run(services, ADMIN, "actions preview --set-text 'We read every answer.'")
    assert isinstance(written, ReportView) and written.headline == "We read every answer."
    assert t("actions.preview.written") in written.sections[0].notes


async def test_a_mistyped_option_of_list_or_preview_is_refused_and_nothing_is_written(
    services: Services,
) -> None:
    await answer(services, team("eng", 9))
    await run(services, ADMIN, ADD)
    await run(services, ADMIN, "actions update #1 --status in_progress")
    before = await run(services, ADMIN, "actions preview")
    assert isinstance(before, ReportView)

    typo = await run(services, ADMIN, "actions preview --set-txt 'We read every answer.'")
    listed = await run(services, ADMIN, "actions list --statsu done")

    assert typo == Notice(
        'Unknown options: set_txt. /nps actions preview takes only --set-text "TEXT".',
        Tone.ERROR,
    )
    assert listed == Notice(
        "Unknown options: statsu. /nps actions list takes a survey's name and no option.",
        Tone.ERROR,
    )
    assert await run(services, ADMIN, "actions preview") == before, "no text was set"
