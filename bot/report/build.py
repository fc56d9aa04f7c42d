"""Turn a score cube into a :class:`~bot.report.model.SurveyReport` (pure).

Every statistic is derived from histograms folded out of the cube that
:func:`storage.aggregates.score_cube` counted in SQL. What may be shown is not decided
here: the overall figures, each period, each segment and the wave's bounds come with the
disclosure gate's verdict (:class:`ReportVerdicts`, from :mod:`bot.usecases.gate`), and
only admitted groups carry figures. The texts and ratings handed in are the gate's
released corpora; themes and quotes still need ``k_comments`` reasons on each side and a
driver ``k`` ratings (:mod:`bot.report.drivers`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.domain.drivers import DriverQuestion
from bot.domain.nps import Category, category, composition
from bot.report.model import (
    Figures,
    GridCell,
    GroupLine,
    GroupResponse,
    PeriodChange,
    Quotes,
    ReportRequest,
    SurveyReport,
    WaveResponse,
)
from bot.report.quotes import neutral_quote
from bot.stats.change import change
from bot.stats.interval import (
    nps_interval,
    population_bounds,
    population_interval,
    sample_size_guidance,
)
from bot.stats.reading import supported_reading
from bot.stats.selection import Verdict
from bot.stats.structure import structure
from bot.stats.terms import Tokenizers
from bot.stats.themes import Comment, Theme, distinguishing_themes
from storage.aggregates import Cell, WaveCounts, WrittenReason
from storage.ratings import RatedAnswers

if TYPE_CHECKING:
    from bot.report.drivers import DriverReport

QUOTES_PER_SIDE = 3
GRID_COLUMNS = 12
"""A heatmap shows at most the latest twelve periods..."""
GRID_ROWS = 12
"""...of at most the twelve largest segments."""

Histogram = tuple[int, ...]


@dataclass(frozen=True)
class SurveyFacts:
    """The survey settings a report depends on."""

    name: str
    kind: str
    k: int
    k_comments: int
    drivers: tuple[DriverQuestion, ...] = ()


@dataclass(frozen=True)
class WaveGroup:
    """One group of the latest wave: people invited with that label when it opened, and
    answers of the wave released with it."""

    label: str
    invited: int
    answered: int


@dataclass(frozen=True)
class ReportVerdicts:
    """The gate's verdicts on a report's groups: the overall figures, each period and
    segment by label, and the latest invited wave's bounds (``None``: no such wave).

    ``unreleased`` is how many answers to name when the overall figures are withheld
    (all answers, a count without scores); ``held_back`` says that answers newer than
    the last release step are not counted yet. ``grid`` holds the verdict on each
    (segment, period) cell of a heatmap, when one was asked for.
    """

    overall: Verdict
    periods: Mapping[str, Verdict]
    segments: Mapping[str, Verdict]
    wave: Verdict | None = None
    grid: Mapping[tuple[str, str], Verdict] = field(default_factory=dict)
    unreleased: int = 0
    held_back: bool = False
    wave_groups: Mapping[str, Verdict] = field(default_factory=dict)
    """The latest wave's groups of ``by``, each as its answers' group was judged."""


def build_report(
    survey: SurveyFacts,
    *,
    request: ReportRequest,
    cells: Sequence[Cell],
    verdicts: ReportVerdicts,
    wave: WaveCounts | None,
    reasons: Sequence[WrittenReason],
    tokenizers: Callable[[], Tokenizers],
    rated: Sequence[RatedAnswers] = (),
    wave_groups: Sequence[WaveGroup] = (),
    handle: Callable[[uuid.UUID], str] | None = None,
) -> SurveyReport:
    """The report of ``survey`` from its released cube, latest invited wave, reasons and
    driver ratings (counted per score and ratings, in the order of ``survey.drivers``)
    and the latest wave's groups, showing what ``verdicts`` admit.

    ``tokenizers`` is called only when there are enough reasons for themes (loading the
    Japanese analyzer takes a moment). ``handle`` names a quoted answer for replies.
    """
    overall = fold(cells, key=lambda cell: "")
    histogram = overall.get("", _empty())
    counts = composition(histogram)
    base = SurveyReport(
        survey=survey.name,
        kind=survey.kind,
        k=survey.k,
        k_comments=survey.k_comments,
        n=counts.n if verdicts.overall.shown else verdicts.unreleased,
        period=request.period_kind(),
        by=request.by,
        held_back=verdicts.held_back,
    )
    if not verdicts.overall.shown:
        return base
    audience = _audience(wave) if verdicts.wave is not None and verdicts.wave.shown else None
    trend = lines(fold(cells, key=lambda cell: cell.period), verdicts.periods, audience=audience)
    segments = lines(fold(cells, key=lambda cell: cell.group), verdicts.segments)
    shown_periods = [line.figures.composition for line in trend if line.figures]
    return SurveyReport(
        survey=base.survey,
        kind=base.kind,
        k=base.k,
        k_comments=base.k_comments,
        n=base.n,
        period=base.period,
        by=base.by,
        held_back=base.held_back,
        figures=figures(histogram, audience=audience),
        histogram=histogram,
        structure=structure(counts),
        phase=supported_reading(shown_periods or [counts]),
        trend=trend,
        change=latest_change(trend),
        segments=sort_segments(segments) if request.by else (),
        themes=_themes(reasons, survey=survey, tokenizers=tokenizers),
        quotes=_quotes(reasons, threshold=survey.k_comments, handle=handle)
        if request.quotes
        else None,
        wave=_wave(audience) if audience is not None else None,
        wave_groups=_wave_groups(wave_groups, verdicts.wave_groups) if request.by else (),
        wave_groups_wave=wave.label if wave is not None and request.by and wave_groups else None,
        guidance=sample_size_guidance(counts),
        drivers=_drivers(survey.drivers, rated, k=survey.k),
        grid=grid_cells(cells, verdicts.grid),
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


def figures(histogram: Histogram, *, audience: WaveCounts | None = None) -> Figures:
    """The figures of ``histogram``; when those answers are exactly the answers of
    ``audience`` (a wave with known invitations: the same count for every score), the
    interval is the finite-population one for everyone the wave invited."""
    counts = composition(histogram)
    if audience is not None and audience.histogram == tuple(histogram):
        return Figures(
            composition=counts, interval=population_interval(counts, invited=audience.invited)
        )
    return Figures(composition=counts, interval=nps_interval(counts))


def lines(
    groups: Mapping[str, Histogram],
    verdicts: Mapping[str, Verdict],
    *,
    audience: WaveCounts | None = None,
) -> tuple[GroupLine, ...]:
    """Lines for the groups of one breakdown, in the given order; a group the gate did
    not admit (or never saw) is withheld, with the gate's reason. A group holding
    exactly the answers of ``audience`` gets its finite-population interval."""
    found = []
    for name, histogram in groups.items():
        verdict = verdicts.get(name, Verdict.REVEALS)
        shown = verdict.shown
        found.append(
            GroupLine(
                label=name,
                figures=figures(histogram, audience=audience) if shown else None,
                withheld=None if shown else verdict,
            )
        )
    return tuple(found)


def grid_cells(
    cells: Iterable[Cell], verdicts: Mapping[tuple[str, str], Verdict]
) -> tuple[GridCell, ...]:
    """The heatmap's cells the gate was asked about, by segment and period; a cell with
    no answers is left out (the chart shows it empty), a refused one carries the reason."""
    folded = fold(
        (cell for cell in cells if cell.group is not None and cell.period is not None),
        key=lambda cell: f"{cell.group}\x00{cell.period}",
    )
    found = []
    for (group, period), verdict in sorted(verdicts.items()):
        histogram = folded.get(f"{group}\x00{period}")
        if histogram is None:
            continue
        shown = verdict.shown
        found.append(
            GridCell(
                group=group,
                period=period,
                figures=figures(histogram) if shown else None,
                withheld=None if shown else verdict,
            )
        )
    return tuple(found)


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


def quotable(reasons: Sequence[WrittenReason], *, threshold: int) -> tuple[WrittenReason, ...]:
    """The reasons a report may quote: those of each side (detractors, promoters) that
    has at least ``threshold`` of them. Replies may answer exactly these."""
    sides = _sides(reasons)
    return tuple(
        reason
        for side in (Category.DETRACTOR, Category.PROMOTER)
        if len(sides[side]) >= threshold
        for reason in sides[side]
    )


def _quotes(
    reasons: Sequence[WrittenReason],
    *,
    threshold: int,
    handle: Callable[[uuid.UUID], str] | None,
) -> Quotes:
    sides = _sides(reasons)

    def sample(side: Category) -> list[WrittenReason]:
        texts = sides[side]
        return [] if len(texts) < threshold else texts[:QUOTES_PER_SIDE]

    def handles(chosen: list[WrittenReason]) -> tuple[str, ...]:
        if handle is None:
            return ()
        return tuple(handle(r.answer_id) for r in chosen if r.answer_id is not None)

    detractors, promoters = sample(Category.DETRACTOR), sample(Category.PROMOTER)
    return Quotes(
        detractors=tuple(neutral_quote(r.text) for r in detractors),
        promoters=tuple(neutral_quote(r.text) for r in promoters),
        detractor_handles=handles(detractors),
        promoter_handles=handles(promoters),
    )


def _sides(reasons: Sequence[WrittenReason]) -> dict[Category, list[WrittenReason]]:
    sides: dict[Category, list[WrittenReason]] = {which: [] for which in Category}
    for reason in reasons:
        if reason.text.strip():
            sides[category(reason.score)].append(reason)
    return sides


def _audience(wave: WaveCounts | None) -> WaveCounts | None:
    """The latest invited wave, when its counts can describe its audience: some answers,
    and no more than invitations (imported answers can break that)."""
    if wave is None:
        return None
    answered = composition(wave.histogram)
    if answered.n == 0 or answered.n > wave.invited:
        return None
    return wave


def _wave(wave: WaveCounts) -> WaveResponse:
    """Bounds and finite-population interval of the latest invited wave (admitted by
    the gate)."""
    answered = composition(wave.histogram)
    return WaveResponse(
        wave=wave.label,
        bounds=population_bounds(answered, invited=wave.invited),
        interval=population_interval(answered, invited=wave.invited),
    )


def _wave_groups(
    groups: Sequence[WaveGroup], verdicts: Mapping[str, Verdict]
) -> tuple[GroupResponse, ...]:
    """Each group's invited and answered counts where the gate admitted its answers;
    withheld (no count at all) elsewhere."""
    found = []
    for group in sorted(groups, key=lambda g: g.label):
        verdict = verdicts.get(group.label, Verdict.REVEALS)
        if verdict.shown and group.answered <= group.invited:
            found.append(
                GroupResponse(label=group.label, invited=group.invited, answered=group.answered)
            )
        else:
            shown_as = verdict if not verdict.shown else Verdict.REVEALS
            found.append(GroupResponse(label=group.label, withheld=shown_as))
    return tuple(found)


def _empty() -> Histogram:
    return (0,) * 11


def _drivers(
    questions: Sequence[DriverQuestion], rated: Sequence[RatedAnswers], *, k: int
) -> DriverReport | None:
    """The driver analysis; it needs numpy, loaded by the first report that has one."""
    from bot.report.drivers import driver_report

    return driver_report(questions, rated, k=k)
