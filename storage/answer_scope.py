"""What answer queries share: which answers they count, and the reason they return.

A :class:`DayRange` and :func:`released_by` are the conditions that keep a query to the
answers of some days and to the answers released so far; :class:`WrittenReason` is a
reason as a query returns it. Answering, the scheduled waves and the stores that count
answers all need these at import time, while the report's own counting
(:mod:`storage.aggregates`) loads with the first report; so they live apart from it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Mapped
from sqlalchemy.sql.elements import ColumnElement


@dataclass(frozen=True)
class DayRange:
    """Answer days from ``since`` (inclusive) to ``until`` (exclusive); None is open."""

    since: date | None = None
    until: date | None = None

    def conditions(self, day: ColumnElement[Any] | Mapped[date]) -> list[ColumnElement[bool]]:
        """SQL conditions keeping ``day`` inside the range."""
        found: list[ColumnElement[bool]] = []
        if self.since is not None:
            found.append(day >= self.since)
        if self.until is not None:
            found.append(day < self.until)
        return found


def released_by(
    step: ColumnElement[Any] | Mapped[int | None], through_step: int
) -> list[ColumnElement[bool]]:
    """Conditions keeping answers released by step ``through_step``."""
    return [step.is_not(None), step <= through_step]


@dataclass(frozen=True)
class WrittenReason:
    """A reason as written, with its score and (from :func:`storage.aggregates.reasons`)
    the answer's random id, which reply threads are keyed by (nothing else)."""

    score: int
    text: str
    answer_id: uuid.UUID | None = None
