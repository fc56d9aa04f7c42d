"""Turn a score cube into a :class:`~bot.report.model.SurveyReport` (pure).

Every statistic is derived from histograms folded out of the cube that
:func:`storage.aggregates.score_cube` counted in SQL. Privacy rules applied here:

* the survey shows its figures only with at least ``k`` answers;
* periods and segments are each one breakdown under the survey total, decided by
  :func:`bot.stats.suppression.suppress` (too few, or revealing a smaller group by
  subtraction, means withheld);
* themes and quotes need at least ``k_comments`` reasons on each side;
* a driver needs at least ``k`` ratings (:mod:`bot.report.drivers`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.domain.drivers import DriverQuestion
from bot.domain.nps import Category, category, composition
from bot.report.drivers import driver_report
from bot.report.model import (
    Figures,
    GroupLine,
    PeriodChange,
    Quotes,
    ReportRequest,
    SurveyReport,
    WaveResponse,
)
from bot.report.quotes import neutral_quote
from bot.stats.change import change
from bot.stats.interval import nps_interval, population_bounds, sample_size_guidance
from bot.stats.structure import read_phase, structure
from bot.stats.suppression import suppress
from bot.stats.themes import Comment, Theme, Tokenizers, distinguishing_themes
from storage.aggregates import Cell, WaveCounts, WrittenReason
from storage.ratings import RatedAnswers

QUOTES_PER_SIDE = 3

Histogram = tuple[int, ...]


@dataclass(frozen=True)
class SurveyFacts:
    """The survey settings a report depends on."""

    name: str
    kind: str
    k: int
    k_comments: int
    drivers: tuple[DriverQuestion, ...] = ()


def build_report(
    survey: SurveyFacts,
    *,
    request: ReportRequest,
    cells: Sequence[Cell],
    wave: WaveCounts | None,
    reasons: Sequence[WrittenReason],
    tokenizers: Callable[[], Tokenizers],
    rated: Sequence[RatedAnswers] = (),
) -> SurveyReport:
    """The report of ``survey`` from its cube, latest invited wave, reasons and driver
    ratings (counted per score and ratings, in the order of ``survey.drivers``).

    ``tokenizers`` is called only when there are enough reasons for themes (loading the
    Japanese analyzer takes a moment).
    """
    overall = fold(cells, key=lambda cell: "")
    histogram = overall.get("", _empty())
    counts = composition(histogram)
    base = SurveyReport(
        survey=survey.name,
        kind=survey.kind,
        k=survey.k,
        k_comments=survey.k_comments,
        n=counts.n,
        period=request.period_kind(),
        by=request.by,
    )
    if counts.n < survey.k:
        return base
    trend = breakdown(fold(cells, key=lambda cell: cell.period), parent=counts.n, k=survey.k)
    segments = breakdown(fold(cells, key=lambda cell: cell.group), parent=counts.n, k=survey.k)
    shown_periods = [line.figures.composition for line in trend if line.figures]
    return SurveyReport(
        survey=base.survey,
        kind=base.kind,
        k=base.k,
        k_comments=base.k_comments,
        n=base.n,
        period=base.period,
        by=base.by,
        figures=figures(histogram),
        histogram=histogram,
        structure=structure(counts),
        phase=read_phase(shown_periods or [counts]),
        trend=trend,
        change=latest_change(trend),
        segments=sort_segments(segments) if request.by else (),
        themes=_themes(reasons, survey=survey, tokenizers=tokenizers),
        quotes=_quotes(reasons, threshold=survey.k_comments) if request.quotes else None,
        wave=_wave(wave, k=survey.k),
        guidance=sample_size_guidance(counts),
        drivers=driver_report(survey.drivers, rated, k=survey.k),
    )


def fold(cells: Iterable[Cell], *, key: Callable[[Cell], str | None]) -> dict[str, Histogram]:
    """Sum the cells into one histogram per key, in first-seen order; ``None`` keys
    (no period, no label) are left out."""
    folded: dict[str, list[int]] = {}
    for cell in cells:
        name = key(cell)
        if name is None:
            continue
        folded.setdefault(name, [0] * 11)[cell.score] += cell.count
    return {name: tuple(counts) for name, counts in folded.items()}


def figures(histogram: Histogram) -> Figures:
    counts = composition(histogram)
    return Figures(composition=counts, interval=nps_interval(counts))


def breakdown(groups: Mapping[str, Histogram], *, parent: int, k: int) -> tuple[GroupLine, ...]:
    """Lines for the groups of one breakdown, in the given order, suppressed as one level."""
    decisions = suppress(parent, {name: sum(h) for name, h in groups.items()}, k=k)
    return tuple(
        GroupLine(label=d.path[0], figures=figures(groups[d.path[0]]) if d.shown else None)
        for d in decisions
    )


def sort_segments(lines: Iterable[GroupLine]) -> tuple[GroupLine, ...]:
    """Shown groups by NPS (highest first, then by name), withheld ones after, by name."""
    return tuple(
        sorted(
            lines,
            key=lambda line: (
                line.figures is None,
                -line.figures.nps if line.figures else 0.0,
                line.label,
            ),
        )
    )


def latest_change(trend: Sequence[GroupLine]) -> PeriodChange | None:
    """The last period against the one before it, when both are shown."""
    if len(trend) < 2:
        return None
    previous, current = trend[-2], trend[-1]
    if previous.figures is None or current.figures is None:
        return None
    return PeriodChange(
        previous=previous.label,
        current=current.label,
        change=change(current.figures.composition, previous.figures.composition),
    )


def _themes(
    reasons: Sequence[WrittenReason],
    *,
    survey: SurveyFacts,
    tokenizers: Callable[[], Tokenizers],
) -> tuple[Theme, ...] | None:
    sides = _sides(reasons)
    if min(len(sides[Category.DETRACTOR]), len(sides[Category.PROMOTER])) < survey.k_comments:
        return None
    return distinguishing_themes(
        [Comment(r.text) for r in sides[Category.DETRACTOR]],
        [Comment(r.text) for r in sides[Category.PROMOTER]],
        tokenizers=tokenizers(),
        min_texts=survey.k_comments,
        min_term_texts=survey.k,
    )


def _quotes(reasons: Sequence[WrittenReason], *, threshold: int) -> Quotes:
    sides = _sides(reasons)

    def sample(side: Category) -> tuple[str, ...]:
        texts = sides[side]
        if len(texts) < threshold:
            return ()
        return tuple(neutral_quote(r.text) for r in texts[:QUOTES_PER_SIDE])

    return Quotes(detractors=sample(Category.DETRACTOR), promoters=sample(Category.PROMOTER))


def _sides(reasons: Sequence[WrittenReason]) -> dict[Category, list[WrittenReason]]:
    sides: dict[Category, list[WrittenReason]] = {which: [] for which in Category}
    for reason in reasons:
        if reason.text.strip():
            sides[category(reason.score)].append(reason)
    return sides


def _wave(wave: WaveCounts | None, *, k: int) -> WaveResponse | None:
    """Bounds of the latest invited wave, when it has at least ``k`` answers and no more
    answers than invitations (imported answers can break that)."""
    if wave is None:
        return None
    answered = composition(wave.histogram)
    if answered.n < k or answered.n > wave.invited:
        return None
    return WaveResponse(wave=wave.label, bounds=population_bounds(answered, invited=wave.invited))


def _empty() -> Histogram:
    return (0,) * 11
