"""A report's groups put to the disclosure gate, in the order that keeps the most.

The overall figures come first, then the periods and then the segments, each largest
first, so when a group must be withheld to protect another it is the smaller one; the
latest wave's bounds come next, then its groups (a response rate per group, largest
first), and the cells of a heatmap (each segment in each period, largest first) last, so
a chart never costs a line of the report. A period or segment is a selector narrowed to
the report's days, so a digest's window, a month or a team is judged as exactly the group
whose figures are shown. A report of one group (a scoped viewer's) narrows every
selector to that group's label as well: its "overall" is the group itself, judged
against everything else released of the survey like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date

from bot.report.build import GRID_COLUMNS, GRID_ROWS, ReportVerdicts
from bot.stats.selection import Selector, Verdict
from bot.usecases.gate import Release
from storage.aggregates import Cell, WaveCounts
from storage.answer_scope import DayRange
from storage.periods import PeriodKind


def report_verdicts(
    release: Release,
    *,
    cells: Sequence[Cell],
    period: PeriodKind,
    by: str | None,
    days: DayRange,
    wave: WaveCounts | None,
    wave_labels: Mapping[str, frozenset[str]],
    unreleased: int,
    wave_groups: Sequence[str] = (),
    scope: tuple[tuple[str, str | None], ...] = (),
    grid: bool = False,
) -> ReportVerdicts:
    """Admit (or withhold) each group a report of ``cells`` would show.

    ``wave_groups`` are the values of ``by`` among the latest wave's asks, whose answers'
    groups are judged after the wave's bounds (a response rate is drawn from them).
    ``scope`` narrows every group to those labels (a report of one group); ``grid`` also
    puts each segment in each period to the gate, for a heatmap (with ``by`` only).
    """

    def narrowed(
        since: date | None = None,
        until: date | None = None,
        *,
        waves: frozenset[str] | None = None,
        labels: tuple[tuple[str, str | None], ...] = (),
    ) -> Selector:
        low = max((d for d in (since, days.since) if d is not None), default=None)
        high = min((d for d in (until, days.until) if d is not None), default=None)
        return release.group(since=low, until=high, waves=waves, labels=(*scope, *labels))

    overall = release.admit(narrowed())
    if not overall.shown:
        return ReportVerdicts(
            overall=overall,
            periods={},
            segments={},
            unreleased=unreleased,
            held_back=release.waiting > 0,
        )

    def period_group(label: str) -> Selector:
        if period is PeriodKind.WAVE:
            return narrowed(waves=wave_labels.get(label, frozenset()))
        since, until = period_days(period, label)
        return narrowed(since, until)

    periods = _admit_largest_first(
        release, sorted({c.period for c in cells if c.period is not None}), period_group
    )
    segments = (
        _admit_largest_first(
            release,
            sorted({c.group for c in cells if c.group is not None}),
            lambda value: narrowed(labels=((by, value),)),
        )
        if by
        else {}
    )
    wave_verdict = (
        release.admit(release.group(waves=frozenset({wave.wave_id.hex})))
        if wave is not None and not days.since and not days.until and not scope
        else None
    )
    in_wave = (
        _admit_largest_first(
            release,
            sorted(wave_groups),
            lambda value: release.group(waves=frozenset({wave.wave_id.hex}), labels=((by, value),)),
        )
        if by and wave is not None and wave_groups and not days.since and not days.until
        else {}
    )
    cross = _admit_grid(release, cells=cells, by=by, period=period_group) if grid and by else {}
    return ReportVerdicts(
        overall=overall,
        periods=periods,
        segments=segments,
        wave=wave_verdict,
        grid=cross,
        unreleased=unreleased,
        held_back=release.waiting > 0,
        wave_groups=in_wave,
    )


def _admit_grid(
    release: Release,
    *,
    cells: Sequence[Cell],
    by: str,
    period: Callable[[str], Selector],
) -> dict[tuple[str, str], Verdict]:
    """Each segment in each period where it has answers (the latest
    :data:`GRID_COLUMNS` periods, the largest :data:`GRID_ROWS` segments), largest cell
    first."""
    periods = sorted({c.period for c in cells if c.period is not None})[-GRID_COLUMNS:]
    sizes: dict[str, int] = {}
    for cell in cells:
        if cell.group is not None:
            sizes[cell.group] = sizes.get(cell.group, 0) + cell.count
    groups = sorted(sizes, key=lambda name: (-sizes[name], name))[:GRID_ROWS]
    present = {(c.group, c.period) for c in cells}
    selectors = {}
    for group in groups:
        for label in periods:
            if (group, label) not in present:
                continue  # nobody of the group answered then: nothing to release
            within = period(label)
            selectors[(group, label)] = replace(within, labels=(*within.labels, (by, group)))
    order = sorted(selectors, key=lambda pair: (-release.count(selectors[pair]), pair))
    return {pair: release.admit(selectors[pair]) for pair in order}


def _admit_largest_first(
    release: Release, labels: Sequence[str], group: Callable[[str], Selector]
) -> dict[str, Verdict]:
    selectors = {label: group(label) for label in labels}
    order = sorted(labels, key=lambda label: (-release.count(selectors[label]), label))
    return {label: release.admit(selectors[label]) for label in order}


def period_days(period: PeriodKind, label: str) -> tuple[date, date]:
    """The days [since, until) of a month (``2026-03``) or quarter (``2026-Q1``) label."""
    year = int(label[:4])
    if period is PeriodKind.QUARTER:
        first_month = (int(label[6:]) - 1) * 3 + 1
        months = 3
    else:
        first_month = int(label[5:7])
        months = 1
    since = date(year, first_month, 1)
    end_month = first_month + months
    until = date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
    return since, until
