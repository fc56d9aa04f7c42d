"""The drivers part of a report: which 1-5 ratings move the score, suppressed below k.

:func:`driver_report` is pure: it takes the survey's driver questions and the answers
counted per (score, ratings) in SQL (:func:`storage.ratings.rated_answers`) and runs
:func:`bot.stats.drivers.analyse_drivers` on the drivers that may be shown.

Privacy: a driver rated by fewer than ``k`` answers is withheld (its key and label only,
no count, mean or importance) and left out of the analysis, so no number is drawn from
fewer than ``k`` people. Shapley/LMG also needs ``k`` complete answers, whatever its
own sample-size floor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.domain.drivers import DriverQuestion
from bot.stats.driver_kinds import Method, Quadrant
from bot.stats.drivers import DriverAnalysis, RatingCell, analyse_drivers
from storage.ratings import RatedAnswers

BOOTSTRAP_SEED = 20_261_125
"""A fixed seed: the same answers give the same intervals in every report."""
RESAMPLES = 1000
MIN_ANSWERS = 30


@dataclass(frozen=True)
class DriverLine:
    """One driver question; ``answers`` and everything after it are ``None`` when it is
    withheld (fewer than k ratings)."""

    key: str
    label: str
    answers: int | None = None
    mean_rating: float | None = None
    importance: float | None = None
    low: float | None = None
    high: float | None = None
    quadrant: Quadrant | None = None
    evidence: bool | None = None
    """Whether the data show the driver moves the score (its interval excludes 0)."""

    @property
    def suppressed(self) -> bool:
        return self.answers is None


@dataclass(frozen=True)
class DriverReport:
    """The drivers of a survey. ``method`` is ``None`` when no driver may be shown;
    ``r_squared`` is set for Shapley only."""

    method: Method | None
    n: int
    r_squared: float | None
    lines: tuple[DriverLine, ...]

    def to_json(self) -> list[dict[str, Any]]:
        """One object per driver question, in the survey's order (unrounded values)."""
        method = self.method.value if self.method else None
        return [
            {"key": line.key, "label": line.label, "suppressed": True, "method": None}
            if line.suppressed
            else {
                "key": line.key,
                "label": line.label,
                "suppressed": False,
                "method": method,
                "n": line.answers,
                "mean_rating": line.mean_rating,
                "importance": line.importance,
                "ci_low": line.low,
                "ci_high": line.high,
                "quadrant": line.quadrant.value if line.quadrant else None,
                "evidence": line.evidence,
                "r_squared": self.r_squared,
            }
            for line in self.lines
        ]


def driver_report(
    questions: Sequence[DriverQuestion],
    rated: Sequence[RatedAnswers],
    *,
    k: int,
    resamples: int = RESAMPLES,
) -> DriverReport | None:
    """The drivers part of a report; ``None`` when the survey asks no driver question.

    ``rated`` holds counts whose ratings follow the order of ``questions``.
    """
    if not questions:
        return None
    answered = [
        sum(row.count for row in rated if row.ratings[index] is not None)
        for index in range(len(questions))
    ]
    shown = [index for index, count in enumerate(answered) if count >= k]
    if not shown:
        return DriverReport(
            method=None,
            n=0,
            r_squared=None,
            lines=tuple(DriverLine(key=q.key, label=q.label) for q in questions),
        )
    analysis = analyse_drivers(
        [questions[index].key for index in shown],
        _project(rated, shown),
        rng=np.random.default_rng(BOOTSTRAP_SEED),
        resamples=resamples,
        min_answers=max(MIN_ANSWERS, k),
    )
    return DriverReport(
        method=analysis.method,
        n=analysis.n,
        r_squared=analysis.r_squared,
        lines=_lines(questions, shown, analysis),
    )


def _project(rated: Sequence[RatedAnswers], keep: Sequence[int]) -> list[RatingCell]:
    """The counts restricted to the drivers in ``keep`` (answers that rated none of them
    dropped); equal combinations are merged."""
    merged: dict[tuple[int, tuple[int | None, ...]], int] = {}
    for row in rated:
        ratings = tuple(row.ratings[index] for index in keep)
        if all(value is None for value in ratings):
            continue
        merged[(row.score, ratings)] = merged.get((row.score, ratings), 0) + row.count
    return [
        RatingCell(score=score, ratings=ratings, count=count)
        for (score, ratings), count in merged.items()
    ]


def _lines(
    questions: Sequence[DriverQuestion], shown: Sequence[int], analysis: DriverAnalysis
) -> tuple[DriverLine, ...]:
    results = dict(zip(shown, analysis.drivers, strict=True))
    lines = []
    for index, question in enumerate(questions):
        result = results.get(index)
        if result is None:
            lines.append(DriverLine(key=question.key, label=question.label))
            continue
        lines.append(
            DriverLine(
                key=question.key,
                label=question.label,
                answers=result.answers,
                mean_rating=result.mean_rating,
                importance=result.importance,
                low=result.low,
                high=result.high,
                quadrant=result.quadrant,
                evidence=result.evidence,
            )
        )
    return tuple(lines)
