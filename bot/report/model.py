"""What a report says, as plain frozen values, and its stable JSON shape.

A :class:`SurveyReport` holds unrounded numbers and no words: the chat view, the CLI
tables and ``nps-bot report --json`` are all drawn from it. Anything a report must not
reveal (a group under k, a reason under the comment threshold) is already absent here,
so no renderer can leak it by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.stats.selection import Verdict
from storage.periods import PeriodKind

if TYPE_CHECKING:
    # Named in annotations only: a request is made (as every command parses one) without
    # loading the statistics, and the drivers and themes load numpy or the tokenizer.
    from bot.domain.nps import Composition
    from bot.report.actions import TrackedAction
    from bot.report.drivers import DriverReport
    from bot.stats.change import Change
    from bot.stats.interval import NpsInterval, PopulationBounds, SampleSizeGuidance
    from bot.stats.reading import SupportedReading
    from bot.stats.structure import Structure
    from bot.stats.themes import Theme

DEFAULT_PERIOD = PeriodKind.MONTH


@dataclass(frozen=True)
class ReportRequest:
    """What an admin asked for: a survey by name, a segment label to break down by, a
    period kind (``month``, ``quarter`` or ``wave``; month when not given) and whether
    sample reasons may be quoted."""

    survey: str | None = None
    by: str | None = None
    period: str | None = None
    quotes: bool = False

    def period_kind(self) -> PeriodKind:
        """The period kind asked for; raise ``ValueError`` for an unknown one."""
        return PeriodKind(self.period) if self.period else DEFAULT_PERIOD


@dataclass(frozen=True)
class Figures:
    """The numbers of a group with at least k answers (NPS values in points)."""

    composition: Composition
    interval: NpsInterval

    @property
    def n(self) -> int:
        return self.composition.n

    @property
    def nps(self) -> float:
        return self.composition.nps or 0.0  # never None: a shown group has answers

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "promoters": self.composition.promoters,
            "passives": self.composition.passives,
            "detractors": self.composition.detractors,
            "nps": self.composition.nps,
            "ci_low": self.interval.low,
            "ci_high": self.interval.high,
            "margin": self.interval.margin,
            "interval_method": self.interval.method.value,
        }


@dataclass(frozen=True)
class GroupLine:
    """One period or segment; ``figures`` is ``None`` when it is withheld.

    A withheld line carries its name only: no count, no score, no comment.
    """

    label: str
    figures: Figures | None
    withheld: Verdict | None = None
    """Why the line is withheld (``None`` when shown)."""

    def to_json(self, *, name: str) -> dict[str, Any]:
        if self.figures is None:
            reason = (self.withheld or Verdict.TOO_FEW).value
            return {name: self.label, "suppressed": True, "withheld": reason}
        return {name: self.label, "suppressed": False, **self.figures.to_json()}


@dataclass(frozen=True)
class GridCell:
    """One segment in one period, for the heatmap; ``figures`` is ``None`` when withheld
    (then ``withheld`` says why, and the cell carries no count)."""

    group: str
    period: str
    figures: Figures | None
    withheld: Verdict | None = None


@dataclass(frozen=True)
class PeriodChange:
    """The latest period against the one before it."""

    previous: str
    current: str
    change: Change


@dataclass(frozen=True)
class WaveResponse:
    """Response rate and population bounds of the latest wave with invitations."""

    wave: str
    bounds: PopulationBounds
    interval: NpsInterval
    """The 95 % interval of everyone invited's NPS (finite-population correction)."""


@dataclass(frozen=True)
class GroupResponse:
    """One group's response to the latest wave: how many of its people were invited
    and how many answered, grouped by the labels they had when asked. Withheld
    (``withheld`` says why) when the gate does not admit the group's answers: then
    neither count is shown."""

    label: str
    invited: int | None = None
    answered: int | None = None
    withheld: Verdict | None = None

    @property
    def rate(self) -> float | None:
        """answered / invited (``None`` when withheld)."""
        if self.invited is None or self.answered is None or self.invited == 0:
            return None
        return min(1.0, self.answered / self.invited)

    def to_json(self) -> dict[str, Any]:
        if self.withheld is not None:
            return {"label": self.label, "suppressed": True, "withheld": self.withheld.value}
        return {
            "label": self.label,
            "suppressed": False,
            "invited": self.invited,
            "answered": self.answered,
            "response_rate": self.rate,
        }


@dataclass(frozen=True)
class Quotes:
    """Sample reasons, already made safe to show, per side (empty under the threshold).

    ``*_handles`` name the same quotes, in the same order, for a reply (empty when the
    report was built without handles); a handle reveals neither the answer nor when it
    was given (:class:`bot.domain.replies.CommentHandles`)."""

    detractors: tuple[str, ...]
    promoters: tuple[str, ...]
    detractor_handles: tuple[str, ...] = ()
    promoter_handles: tuple[str, ...] = ()


@dataclass(frozen=True)
class SurveyReport:
    """The numbers of one survey: overall, over time, by segment, and behind the score.

    ``figures`` is ``None`` when fewer than ``k`` people answered: then only ``n`` may
    be shown and every other part is empty. ``themes`` is ``None`` while either side has
    fewer reasons than ``k_comments``.
    """

    survey: str
    kind: str
    k: int
    k_comments: int
    n: int
    period: PeriodKind
    by: str | None = None
    held_back: bool = False
    """Answers newer than the last release step wait (fewer than ``k``): not counted."""
    figures: Figures | None = None
    histogram: tuple[int, ...] | None = None
    structure: Structure | None = None
    phase: SupportedReading | None = None
    trend: tuple[GroupLine, ...] = ()
    change: PeriodChange | None = None
    segments: tuple[GroupLine, ...] = ()
    themes: tuple[Theme, ...] | None = None
    quotes: Quotes | None = None
    wave: WaveResponse | None = None
    wave_groups: tuple[GroupResponse, ...] = ()
    """The latest wave's response per group of ``by`` (empty without ``by`` or wave)."""
    wave_groups_wave: str | None = None
    """The label of the wave ``wave_groups`` describe (the day it opened)."""
    guidance: tuple[SampleSizeGuidance, ...] = ()
    drivers: DriverReport | None = None
    """``None`` when the survey asks no driver question (or its figures are withheld)."""
    grid: tuple[GridCell, ...] = ()
    """Each segment in each period, for the heatmap (chat reports with a breakdown only;
    not part of the JSON)."""
    platform: str | None = None
    """The platform of the survey's tenant (``slack``, ``discord``, ``console``), when known."""
    tenant: str | None = None
    """The workspace or guild id of the survey's tenant, when known: two tenants may
    each have a survey of the same name."""
    actions: tuple[TrackedAction, ...] = ()
    """The survey's action plan, each action with how its theme or driver moved."""

    @property
    def suppressed(self) -> bool:
        """True when fewer than ``k`` people answered: only ``n`` may be shown."""
        return self.figures is None

    @property
    def nps(self) -> float | None:
        return None if self.figures is None else self.figures.composition.nps

    @property
    def score_key(self) -> str:
        """The catalog key of the score's name: eNPS for an employee survey, else NPS."""
        return "report.score.enps" if self.kind == "enps" else "report.score.nps"

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of ``nps-bot report --json`` (one object per survey).

        Numbers are unrounded. ``platform`` and ``tenant`` name the survey's tenant
        (``null`` when the report was built without it). ``drivers`` is ``null`` unless
        the survey asks driver questions and its figures are shown; then one object per
        driver.
        """
        figures = self.figures.to_json() if self.figures else {}
        wave = self.wave.bounds if self.wave else None
        change = self.change.change if self.change else None
        return {
            "survey": self.survey,
            "platform": self.platform,
            "tenant": self.tenant,
            "kind": self.kind,
            "k": self.k,
            "k_comments": self.k_comments,
            "suppressed": self.suppressed,
            **{key: None for key in _FIGURE_KEYS},
            **figures,
            "n": self.n,
            "period": self.period.value,
            "by": self.by,
            "held_back": self.held_back,
            "bounds_low": wave.low if wave else None,
            "bounds_high": wave.high if wave else None,
            "response_rate": wave.response_rate if wave else None,
            "invited": wave.invited if wave else None,
            "invited_ci_low": self.wave.interval.low if self.wave else None,
            "invited_ci_high": self.wave.interval.high if self.wave else None,
            "wave": self.wave.wave if self.wave else None,
            "wave_segments": [group.to_json() for group in self.wave_groups],
            "wave_segments_wave": self.wave_groups_wave,
            "change": change.difference if change else None,
            "p_value": change.p_value if change else None,
            "change_verdict": change.verdict.value if change else None,
            "change_from": self.change.previous if self.change else None,
            "change_to": self.change.current if self.change else None,
            "segments": [line.to_json(name="label") for line in self.segments],
            "trend": [line.to_json(name="period") for line in self.trend],
            "themes": None if self.themes is None else [_theme_json(t) for t in self.themes],
            "quotes": None
            if self.quotes is None
            else {
                "detractors": list(self.quotes.detractors),
                "promoters": list(self.quotes.promoters),
                "handles": {
                    "detractors": list(self.quotes.detractor_handles),
                    "promoters": list(self.quotes.promoter_handles),
                },
            },
            "drivers": None if self.drivers is None else self.drivers.to_json(),
            "structure": _structure_json(self.structure, self.phase),
            "distribution": None if self.histogram is None else list(self.histogram),
            "actions": [action.to_json() for action in self.actions],
            "guidance": [
                {"margin": g.margin, "needed": g.needed, "additional": g.additional}
                for g in self.guidance
            ],
        }


_FIGURE_KEYS = (
    "promoters",
    "passives",
    "detractors",
    "nps",
    "ci_low",
    "ci_high",
    "margin",
    "interval_method",
)


def _theme_json(theme: Theme) -> dict[str, Any]:
    return {
        "term": theme.term,
        "z": theme.z,
        "leans": theme.leans.value,
        "detractor_texts": theme.detractor_texts,
        "promoter_texts": theme.promoter_texts,
        "p_value": theme.p_value,
    }


def _structure_json(
    structure: Structure | None, phase: SupportedReading | None
) -> dict[str, Any] | None:
    if structure is None:
        return None
    return {
        "detractor_share": structure.detractor_share,
        "passive_share": structure.passive_share,
        "promoter_share": structure.promoter_share,
        "satisfaction": structure.satisfaction,
        "connection": structure.connection,
        "phase": phase.phase.value if phase else None,
        "satisfaction_direction": phase.satisfaction.value
        if phase and phase.satisfaction
        else None,
        "connection_direction": phase.connection.value if phase and phase.connection else None,
        "progress": phase.progress.value if phase and phase.progress else None,
    }
