"""Exported rows made safe as microdata: every published combination of labels and date
is shared by at least ``k`` released answers, and no such class can be subtracted from
anything else released.

Each released atom (answers alike in day and labels) climbs a ladder of ever coarser
descriptions until the disclosure gate admits the class its description names:

    all labels by month → by quarter → one label fewer → by year → one fewer → all time → …

Every rung is a coarsening of the one below it (labels are dropped, most distinct values
first; dates widen month → quarter → year → none), so the answers a class publishes — those
not already published at a finer rung — are the class minus finer admitted classes, a
group the gate has judged together with them. Answers no rung admits are withheld.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from bot.stats.selection import Selector
from bot.usecases.gate import Release

AtomKey = tuple[int, date, str | None, frozenset[tuple[str, str]]]
"""(step, day, wave, labels): how an exported answer finds its atom."""


def atom_key(step: int, day: date, wave: str | None, labels: Mapping[str, str]) -> AtomKey:
    """The key of the atom an answer with these attributes belongs to."""
    return (step, day, wave, frozenset(labels.items()))


class Grain(IntEnum):
    """How finely an exported row is dated."""

    MONTH = 0
    QUARTER = 1
    YEAR = 2
    NONE = 3

    def label(self, day: date) -> str:
        """The period of ``day`` at this grain (``2026-03``, ``2026-Q1``, ``2026``, blank)."""
        if self is Grain.MONTH:
            return f"{day.year:04d}-{day.month:02d}"
        if self is Grain.QUARTER:
            return f"{day.year:04d}-Q{(day.month + 2) // 3}"
        if self is Grain.YEAR:
            return f"{day.year:04d}"
        return ""

    def days(self, day: date) -> tuple[date | None, date | None]:
        """The days [since, until) of ``day``'s period at this grain."""
        if self is Grain.NONE:
            return None, None
        if self is Grain.YEAR:
            return date(day.year, 1, 1), date(day.year + 1, 1, 1)
        months = 1 if self is Grain.MONTH else 3
        first = day.month if self is Grain.MONTH else (day.month - 1) // 3 * 3 + 1
        end = first + months
        return date(day.year, first, 1), date(day.year + (end - 1) // 12, (end - 1) % 12 + 1, 1)


@dataclass(frozen=True)
class Rung:
    """One description level: the labels kept and the date grain."""

    labels: tuple[str, ...]
    grain: Grain


@dataclass(frozen=True)
class Published:
    """How the answers of one atom are exported."""

    period: str
    labels: dict[str, str]
    class_size: int
    """Released answers published with exactly this description (at least k)."""
    coarsened: tuple[str, ...]
    """What was made coarser than stored: ``date`` and the names of dropped labels."""


def ladder(labels: Sequence[str]) -> Iterator[Rung]:
    """The rungs from every label by month to nothing, each coarser than the last: the
    date widens, then a label goes, alternately, while either can."""
    kept = list(labels)
    grain = Grain.MONTH
    yield Rung(tuple(kept), grain)
    widen = True
    while kept or grain is not Grain.NONE:
        if (widen and grain is not Grain.NONE) or not kept:
            grain = Grain(grain + 1)
        else:
            kept.pop(0)
        widen = not widen
        yield Rung(tuple(kept), grain)


def publish(release: Release, atoms: Sequence[tuple[AtomKey, int]]) -> dict[AtomKey, Published]:
    """Decide how each released atom (with its answer count) is exported; atoms missing
    from the result are withheld. Admitted classes join the release's ledger."""
    names = _labels_most_distinct_first(atoms)
    waiting = dict(atoms)
    published: dict[AtomKey, Published] = {}
    for rung in ladder(names):
        if not waiting:
            break
        classes: dict[tuple[str, tuple[tuple[str, str | None], ...]], list[AtomKey]] = {}
        for key in waiting:
            classes.setdefault(_describe(key, rung), []).append(key)
        by_size = sorted(classes.items(), key=lambda item: -sum(waiting[a] for a in item[1]))
        for (period, kept), members in by_size:
            since, until = rung.grain.days(members[0][1])
            selector = Selector(through_step=release.step, since=since, until=until, labels=kept)
            if not release.admit(selector).shown:
                continue
            size = sum(waiting[a] for a in members)
            for key in members:
                del waiting[key]
                labels = {name: value for name, value in kept if value is not None}
                dropped = sorted(set(dict(key[3])) - set(labels))
                published[key] = Published(
                    period=period,
                    labels=labels,
                    class_size=size,
                    coarsened=("date", *dropped),  # no export without --raw names the day
                )
    return published


def _describe(key: AtomKey, rung: Rung) -> tuple[str, tuple[tuple[str, str | None], ...]]:
    labels = dict(key[3])
    return rung.grain.label(key[1]), tuple(sorted((n, labels.get(n)) for n in rung.labels))


def _labels_most_distinct_first(atoms: Sequence[tuple[AtomKey, int]]) -> list[str]:
    values: dict[str, set[str]] = {}
    for key, _ in atoms:
        for name, value in key[3]:
            values.setdefault(name, set()).add(value)
    return sorted(values, key=lambda name: (-len(values[name]), name))
