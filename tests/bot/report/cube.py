"""Build score cubes for report tests from plain answers (period, group, score)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

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
