"""How answers are grouped in time, apart from the queries that group them
(:mod:`storage.aggregates`), so the command line can offer the choice without loading
SQLAlchemy."""

from __future__ import annotations

from enum import StrEnum


class PeriodKind(StrEnum):
    """How answers are grouped in time."""

    MONTH = "month"
    """Calendar month of ``answered_on``, labelled ``2026-03``."""
    QUARTER = "quarter"
    """Calendar quarter of ``answered_on``, labelled ``2026-Q1``."""
    WAVE = "wave"
    """The wave an answer belongs to, labelled by the day it opened (``2026-03-02``).
    Answers outside any wave belong to no period (they still count overall)."""
