"""A viewer and the admins together cannot isolate fewer than k answers.

Each test plays the admins' reports and a viewer's group reports in some order, then
does the attacker's arithmetic: every group released to anyone (the ledger) as a 0/1
vector over the stored answers, and, with exact rational arithmetic written
independently of the gate, whether a set of fewer than k answers lies in their span.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import col

from bot.runtime.services import Services
from bot.stats.disclosure import Selector
from bot.views.common import Notice, ReportView
from storage.models import ReleasedGroup, Response
from tests.bot.stats.test_disclosure import in_span
from tests.bot.viewers_world import ADMIN, LEAD, answer, mention, run, team

K = 5
ENG = team("eng", 10, 9, 9, 8, 3, 10)
OPS = team("ops", 0, 2, 6, 7, 9, 5)
QA = team("qa", 9, 10)


async def released_and_answers(
    services: Services,
) -> tuple[list[Selector], list[tuple[int | None, date, dict[str, str]]]]:
    async with services.database.transaction() as session:
        ledger = (await session.execute(select(col(ReleasedGroup.selector)))).scalars()
        rows = (await session.execute(select(Response))).scalars()
        answers = [(r.release_step, r.answered_on, dict(r.segments)) for r in rows]
        return [Selector.from_key(text) for text in ledger], answers


def vector(selector: Selector, answers: list[tuple[int | None, date, dict[str, str]]]) -> list[int]:
    """Which answers the group holds (no waves in these surveys)."""
    assert selector.waves is None
    return [
        int(
            step is not None
            and step <= selector.through_step
            and (selector.since is None or day >= selector.since)
            and (selector.until is None or day < selector.until)
            and all(labels.get(name) == value for name, value in selector.labels)
        )
        for step, day, labels in answers
    ]


async def assert_nothing_small_is_derivable(services: Services) -> None:
    """No team, as of any step or new in any step, with 0 < n < k lies in the span."""
    released, answers = await released_and_answers(services)
    rows = [vector(selector, answers) for selector in released]
    steps = sorted({step for step, _, _ in answers if step is not None})
    for value in {labels["team"] for _, _, labels in answers}:
        for index, step in enumerate(steps):
            mine = [tags["team"] == value for _, _, tags in answers]
            up_to = [
                int(s is not None and s <= step and m)
                for (s, _, _), m in zip(answers, mine, strict=True)
            ]
            new = [int(s == step and m) for (s, _, _), m in zip(answers, mine, strict=True)]
            for target in (up_to, new if index else []):
                if 0 < sum(target) < K:
                    assert not in_span(rows, target), (value, step)


async def test_a_viewer_cannot_subtract_their_group_from_the_admins_breakdown(
    services: Services,
) -> None:
    await answer(services, [*ENG, *OPS, *QA])
    t = services.catalogs.translator("en")
    admin_view = await run(services, ADMIN, "report --by team")
    assert isinstance(admin_view, ReportView)
    segments = {row.label: row.value for s in admin_view.sections for row in s.rows}
    # overall − eng − ops would be qa (2 answers): ops, the smaller side of the tie by
    # name, is withheld to the admin...
    assert segments["ops"] == t("report.withheld.reveals", k=K)
    await run(services, ADMIN, f"survey share default {mention(LEAD)} team=ops")

    viewed = await run(services, LEAD, "report")

    # ...and so to the ops lead, whose figures would be exactly that missing line.
    reason = t("report.withheld.reveals", k=K)
    assert isinstance(viewed, Notice)
    assert viewed.text == t("viewers.withheld", group="team=ops", reason=reason)
    await assert_nothing_small_is_derivable(services)


async def test_what_a_viewer_was_shown_first_is_held_against_the_admins_report(
    services: Services,
) -> None:
    await answer(services, [*ENG, *OPS, *QA])
    t = services.catalogs.translator("en")
    await run(services, ADMIN, f"survey share default {mention(LEAD)} team=ops")
    viewed = await run(services, LEAD, "report")
    assert isinstance(viewed, ReportView)  # ops alone reveals nothing yet

    admin_view = await run(services, ADMIN, "report --by team")

    assert isinstance(admin_view, ReportView)
    segments = {row.label: row.value for s in admin_view.sections for row in s.rows}
    # The ledger holds ops: overall − ops − eng would be qa, so eng is withheld now.
    assert segments["eng"] == t("report.withheld.reveals", k=K)
    assert segments["ops"].startswith("NPS")
    await assert_nothing_small_is_derivable(services)


async def test_one_more_answer_in_the_group_is_not_shown_as_a_difference(
    services: Services,
) -> None:
    await answer(services, [*ENG, *OPS])
    t = services.catalogs.translator("en")
    await run(services, ADMIN, f"survey share default {mention(LEAD)} team=eng")
    first = await run(services, LEAD, "report")
    assert isinstance(first, ReportView)
    # One more eng answer and four of ops: a release step of five is cut.
    await answer(services, [*team("eng", 0), *team("ops", 9, 9, 9, 9)], start=100)

    admin_view = await run(services, ADMIN, "report")
    second = await run(services, LEAD, "report")

    assert isinstance(admin_view, ReportView)  # the survey as a whole moved by five
    reason = t("report.withheld.reveals", k=K)
    # eng now − eng before would be one person's score.
    assert isinstance(second, Notice)
    assert second.text == t("viewers.withheld", group="team=eng", reason=reason)
    await assert_nothing_small_is_derivable(services)


async def test_the_heatmaps_cells_are_judged_with_the_viewers_group(services: Services) -> None:
    await answer(services, [*ENG, *OPS, *QA])
    await run(services, ADMIN, f"survey share default {mention(LEAD)} team=ops")
    assert isinstance(await run(services, LEAD, "report"), ReportView)

    admin_view = await run(services, ADMIN, "report --by team --period quarter")

    assert isinstance(admin_view, ReportView) and admin_view.charts
    await assert_nothing_small_is_derivable(services)
