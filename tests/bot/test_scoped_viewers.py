"""A scoped viewer reads their group's report and is refused everything else."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from bot.report.build import figures
from bot.report.render import said_with_interval, signed
from bot.runtime.services import Services
from bot.views.common import Notice, ReportView, Tone
from storage.models import ScopedViewer
from tests.bot.viewers_world import ADMIN, LEAD, OTHER, answer, mention, run, team

ENG = team("eng", 10, 9, 9, 8, 3, 10)
OPS = team("ops", 0, 2, 6, 7, 9, 5)


def headline_of(services: Services, answers: list[tuple[str, int]], *, nps: str) -> str:
    """The headline of a report of exactly these answers (``nps`` as a check)."""
    histogram = [0] * 11
    for _, score in answers:
        histogram[score] += 1
    shown = figures(tuple(histogram))
    assert signed(shown.nps) == nps
    t = services.catalogs.translator("en")
    return said_with_interval(shown, t, key="report.headline", n=len(answers))


async def test_a_viewer_sees_their_groups_report_and_only_its_answers(services: Services) -> None:
    await answer(services, [*ENG, *OPS])
    t = services.catalogs.translator("en")

    shared = await run(services, ADMIN, f"survey share default {mention(LEAD)} team=eng")
    view = await run(services, LEAD, "report")

    assert isinstance(shared, Notice)
    assert shared.text == t("viewers.shared", name="default", group="team=eng")
    assert isinstance(view, ReportView)
    assert view.title == t("viewers.title", survey="default", group="team=eng")
    # Six answers of eng, NPS (4 − 1) / 6 = +50: the ops answers are not in it.
    assert view.headline == headline_of(services, ENG, nps="+50")
    assert view.sections[0].notes == (t("viewers.scope", group="team=eng"),)
    titles = [section.title for section in view.sections]
    notes = [note for section in view.sections for note in section.notes]
    assert t("report.themes") not in titles and t("report.drivers_none") not in notes
    assert view.charts  # the group's own trend and distribution, privately delivered
    everything = await run(services, ADMIN, "report")
    assert isinstance(everything, ReportView) and everything.headline != view.headline


async def test_the_share_is_stored_by_key_never_by_user_id(services: Services) -> None:
    await answer(services, ENG)
    await run(services, ADMIN, f"survey share default {mention(LEAD)} team=eng")
    async with services.database.transaction() as session:
        [row] = (await session.execute(select(ScopedViewer))).scalars()
    assert LEAD.user_id not in repr(row.model_dump())
    assert len(row.viewer_key) == 64 and (row.label, row.value) == ("team", "eng")


async def test_a_viewer_is_refused_every_other_command(services: Services) -> None:
    await answer(services, [*ENG, *OPS])
    await run(services, ADMIN, "survey create other --kind enps")
    await run(services, ADMIN, f"survey share default {mention(LEAD)} team=eng")
    t = services.catalogs.translator("en")
    not_allowed, admin_only = t("report.not_allowed"), t("admin.not_allowed")
    no_breakdown = t("viewers.no_breakdown", group="team=eng")

    expected = {
        "report other": not_allowed,
        "report nonexistent": not_allowed,
        "report --by team": no_breakdown,
        "report default --by role": no_breakdown,
        "survey list": admin_only,
        "survey status default": admin_only,
        "survey status": admin_only,
        "survey shares default": admin_only,
        f"survey share default {mention(LEAD)} team=ops": admin_only,
        f"survey share other {mention(LEAD)} team=eng": admin_only,
        f"survey unshare default {mention(LEAD)}": admin_only,
        "survey edit default --k 3": admin_only,
        "survey create mine": admin_only,
        "survey delete default --yes": admin_only,
        "survey start default": admin_only,
        "survey close default": admin_only,
    }
    for text, refusal in expected.items():
        answered = await run(services, LEAD, text)
        assert isinstance(answered, Notice), text
        assert answered.text == refusal, text
    # Still only their one share, of their one group.
    still = await run(services, LEAD, "report default")
    assert isinstance(still, ReportView)
    assert still.title == t("viewers.title", survey="default", group="team=eng")
    assert await run(services, OTHER, "report") == Notice(not_allowed, Tone.WARNING)


async def test_revoking_sharing_again_and_forgetting_end_or_move_the_share(
    services: Services,
) -> None:
    await answer(services, [*ENG, *OPS])
    t = services.catalogs.translator("en")
    await run(services, ADMIN, f"survey share default {mention(LEAD)} team=eng")

    moved = await run(services, ADMIN, f"survey share default {mention(LEAD)} team=ops")
    listed = await run(services, ADMIN, "survey shares default")
    view = await run(services, LEAD, "report")
    assert isinstance(moved, Notice) and moved.text == t(
        "viewers.moved", name="default", group="team=ops"
    )
    assert isinstance(listed, ReportView)
    assert [row.label for section in listed.sections for row in section.rows] == ["team=ops"]
    assert listed.headline == "1 person sees one group's report."
    assert isinstance(view, ReportView) and "team=ops" in view.title

    revoked = await run(services, ADMIN, f"survey unshare default {mention(LEAD)}")
    again = await run(services, ADMIN, f"survey unshare default {mention(LEAD)}")
    assert isinstance(revoked, Notice) and revoked.text == t("viewers.revoked", name="default")
    assert isinstance(again, Notice) and again.text == t("viewers.not_shared", name="default")
    assert await run(services, LEAD, "report") == Notice(t("report.not_allowed"), Tone.WARNING)

    await run(services, ADMIN, f"survey share default {mention(LEAD)} team=eng")
    await services.engine.forget_me(LEAD)
    async with services.database.transaction() as session:
        assert list((await session.execute(select(ScopedViewer))).scalars()) == []


async def test_a_group_under_k_is_withheld_with_the_gates_reason(services: Services) -> None:
    await answer(services, [*ENG, *OPS, *team("qa", 9, 9)])
    t = services.catalogs.translator("en")
    await run(services, ADMIN, f"survey share default {mention(LEAD)} team=qa")

    view = await run(services, LEAD, "report")

    reason = t("report.withheld.too_few", k=5)
    assert view == Notice(t("viewers.withheld", group="team=qa", reason=reason), Tone.WARNING)


async def test_sharing_refuses_an_unknown_survey_and_a_typo_in_the_command(
    services: Services,
) -> None:
    t = services.catalogs.translator("en")
    unknown = await run(services, ADMIN, f"survey share nope {mention(LEAD)} team=eng")
    no_person = await run(services, ADMIN, "survey share default team=eng")
    no_group = await run(services, ADMIN, f"survey share default {mention(LEAD)}")
    assert isinstance(unknown, Notice) and unknown.text == t("admin.error.unknown", name="nope")
    assert no_person == no_group
    assert isinstance(no_person, Notice) and no_person.text == t("admin.usage")


async def test_words_in_japanese(services: Services) -> None:
    await answer(services, [*ENG, *OPS])
    admin, lead = replace(ADMIN, locale="ja-JP"), replace(LEAD, locale="ja")
    t = services.catalogs.translator("ja")
    shared = await run(services, admin, f"survey share default {mention(lead)} team=eng")
    view = await run(services, lead, "report")
    assert isinstance(shared, Notice)
    assert shared.text == t("viewers.shared", name="default", group="team=eng")
    assert isinstance(view, ReportView)
    assert view.title == t("viewers.title", survey="default", group="team=eng")
