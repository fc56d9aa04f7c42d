"""A chat report's heatmap cells pass the disclosure gate one by one, and the ledger
keeps the admitted ones (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlmodel import col, select

from bot.report.model import ReportRequest, SurveyReport
from bot.runtime.services import Services
from bot.stats.disclosure import Selector, Verdict
from storage.models import ReleasedGroup
from storage.surveys import find_survey_by_name
from storage.tenants import find_tenant
from tests.bot.viewers_world import TENANT, answer, team
from tests.support.clock import Clock


async def grid_report(services: Services, clock: Clock) -> tuple[SurveyReport, list[Selector]]:
    """The chat report by team and month, and the cells the ledger then holds."""
    async with services.database.transaction() as session:
        tenant = await find_tenant(session, platform="slack", external_id=TENANT)
        assert tenant is not None
        survey = await find_survey_by_name(session, tenant_id=tenant.id, name="default")
        assert survey is not None
        report = await services.reports.survey_report(
            session,
            survey=survey,
            request=ReportRequest(by="team", period="month"),
            today=clock().date(),
            grid=True,
        )
        ledger = (await session.execute(select(col(ReleasedGroup.selector)))).scalars()
        cells = [
            selector
            for selector in map(Selector.from_key, ledger)
            if selector.labels and selector.since is not None
        ]
    return report, cells


async def test_every_cell_of_at_least_k_is_shown_when_no_cell_is_small(
    services: Services, clock: Clock
) -> None:
    await answer(services, [*team("eng", 9, 10, 9, 3, 8, 10), *team("ops", 0, 6, 9, 7, 5, 4)])
    clock.advance(days=31)  # into April
    await answer(services, [*team("eng", 9, 2, 9, 3, 8), *team("ops", 9, 9, 1, 1, 1)], start=50)

    report, ledger = await grid_report(services, clock)

    cells = {(cell.group, cell.period): cell for cell in report.grid}
    assert set(cells) == {(g, p) for g in ("eng", "ops") for p in ("2026-03", "2026-04")}
    assert all(cell.figures is not None for cell in cells.values())
    eng_april = cells[("eng", "2026-04")].figures
    assert eng_april is not None and (eng_april.n, eng_april.nps) == (5, 0.0)
    assert {(s.labels[0][1], str(s.since)[:7]) for s in ledger} == set(cells)


async def test_one_small_cell_withholds_every_cell_that_would_give_it_away(
    services: Services, clock: Clock
) -> None:
    await answer(services, [*team("eng", 9, 10, 9, 3, 8, 10), *team("ops", 0, 6, 9, 7, 5, 4)])
    clock.advance(days=31)
    await answer(services, [*team("eng", 9, 2, 9, 3, 8, 10), *team("ops", 9, 9)], start=50)

    report, ledger = await grid_report(services, clock)

    cells = {(cell.group, cell.period): cell for cell in report.grid}
    # ops in April holds two answers. The months and teams are shown, so any one other
    # cell would give it by subtraction (April − (eng − eng in March)): the gate says so.
    assert cells.pop(("ops", "2026-04")).withheld is Verdict.TOO_FEW
    assert {cell.withheld for cell in cells.values()} == {Verdict.REVEALS}
    assert ledger == []
