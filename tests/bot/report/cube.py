"""Build score cubes for report tests from plain answers (period, group, score)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from bot.report.build import ReportVerdicts
from bot.stats.disclosure import Atom, Atoms, Disclosure, Selector, Verdict
from storage.aggregates import Cell


def cube(answers: Iterable[tuple[str | None, str | None, int]]) -> tuple[Cell, ...]:
    """Count ``(period, group, score)`` triples into cells, as the SQL query would."""
    counted = Counter(answers)
    return tuple(
        Cell(period=period, group=group, score=score, count=count)
        for (period, group, score), count in sorted(
            counted.items(), key=lambda item: (item[0][0] or "", item[0][1] or "", item[0][2])
        )
    )


def verdicts(cells: Iterable[Cell], *, k: int, wave: bool = False) -> ReportVerdicts:
    """The disclosure rule's verdicts on the cube's groups, judged as the gate judges a
    first release (one step, nothing released before), overall, periods, then segments,
    largest first."""
    cells = tuple(cells)
    atoms = Atoms.of(
        Atom(
            step=1,
            day=date(2026, 1, 1),
            wave=None,
            count=c.count,
            labels={n: v for n, v in (("p", c.period), ("g", c.group)) if v is not None},
        )
        for c in cells
    )
    disclosure = Disclosure(atoms, k=k, released=())

    def admit_all(name: str, values: set[str]) -> dict[str, Verdict]:
        selectors = {v: Selector(through_step=1, labels=((name, v),)) for v in values}
        order = sorted(values, key=lambda v: (-atoms.count(selectors[v]), v))
        return {v: disclosure.admit(selectors[v]) for v in order}

    overall = disclosure.admit(Selector(through_step=1))
    total = sum(c.count for c in cells)
    if not overall.shown:
        return ReportVerdicts(overall=overall, periods={}, segments={}, unreleased=total)
    periods = admit_all("p", {c.period for c in cells if c.period is not None})
    segments = admit_all("g", {c.group for c in cells if c.group is not None})
    return ReportVerdicts(
        overall=overall,
        periods=periods,
        segments=segments,
        wave=Verdict.ADMITTED if wave else None,
        unreleased=total,
    )
