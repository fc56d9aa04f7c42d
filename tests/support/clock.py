"""A clock tests can move: the engine reads time only through a callable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass
class Clock:
    now: datetime = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, *, days: int = 0, hours: int = 0) -> None:
        self.now += timedelta(days=days, hours=hours)
