"""The chat view of a report: every word from the catalogs, numbers rounded once.

Values stay unrounded in :class:`~bot.report.model.SurveyReport`; here each shown
number is rounded half away from zero (:func:`bot.domain.nps.display_round`) exactly once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain.nps import display_round
from bot.i18n import Translator
from bot.report.action_lines import actions_section
from bot.report.model import Figures, GroupLine, GroupResponse, SurveyReport
from bot.stats.change import Verdict
from bot.stats.driver_kinds import Method, Quadrant
from bot.stats.interval import IntervalMethod
from bot.stats.selection import Verdict as Withheld
from bot.views.common import ReplyTarget, ReportRow, ReportSection, ReportView
from storage.periods import PeriodKind

if TYPE_CHECKING:
    from bot.report.drivers import DriverLine


def render_report(report: SurveyReport, t: Translator, *, charts: bool = True) -> ReportView:
    """The chat view of ``report`` in ``t``'s language; ``charts=False`` skips the images."""
    title = t("report.title", survey=report.survey, score=t(report.score_key))
    if report.n == 0:
        return ReportView(title=title, headline=t("report.no_answers"))
    if report.figures is None:
        return ReportView(title=title, headline=t("report.too_few", n=report.n, k=report.k))
    sections = [
        _composition(report, report.figures, t),
        _held_back(report, t),
        _trend(report, t),
        _segments(report, t),
        _wave_groups(report, t),
        _themes(report, t),
        _drivers(report, t),
        actions_section(report, t),
        _guidance(report, t),
    ]
    return ReportView(
        title=title,
        headline=said_with_interval(report.figures, t, key="report.headline", n=report.n),
        sections=tuple(section for section in sections if section is not None),
        charts=_charts(report, t) if charts else (),
        replies=_reply_targets(report, t),
    )


def _reply_targets(report: SurveyReport, t: Translator) -> tuple[ReplyTarget, ...]:
    quotes = report.quotes
    if quotes is None:
        return ()
    handles = (*quotes.detractor_handles, *quotes.promoter_handles)
    return tuple(
        ReplyTarget(survey=report.survey, handle=h, label=t("replies.reply_to", handle=h))
        for h in handles
    )


def _held_back(report: SurveyReport, t: Translator) -> ReportSection | None:
    if not report.held_back:
        return None
    return ReportSection(title=t("report.release"), notes=(t("report.held_back", k=report.k),))


def _charts(report: SurveyReport, t: Translator) -> tuple[bytes, ...]:
    # Imported here: matplotlib takes a third of a second to load, which the terminal
    # report (no images) should not pay at every start.
    from bot.report.charts import report_charts

    return report_charts(report, t)


def signed(value: float) -> str:
    """An NPS rounded for display, with its sign (``+17``, ``0``, ``-4``)."""
    rounded = display_round(value)
    return f"+{rounded}" if rounded > 0 else str(rounded)


def percent(share: float) -> int:
    return display_round(100 * share)


def said_with_interval(figures: Figures, t: Translator, *, key: str, n: int) -> str:
    """An NPS with its interval as it is: ``key`` ("NPS +8 ± 25") when the rounded
    interval is symmetric about the rounded score, else ``key + "_interval"``
    ("NPS +100 (95 % from +70 to +100)"), since "± m" would stand for an interval that
    is not the one computed."""
    interval = figures.interval
    shown = display_round(figures.nps)
    low = display_round(interval.low if interval.low is not None else figures.nps)
    high = display_round(interval.high if interval.high is not None else figures.nps)
    if shown - low == high - shown:
        return t(key, nps=signed(figures.nps), margin=high - shown, n=n)
    return t(f"{key}_interval", nps=signed(figures.nps), low=signed(low), high=signed(high), n=n)


def group_value(line: GroupLine, *, k: int, t: Translator) -> str:
    """What a period or segment row says: its NPS, interval and size, or that it is
    withheld."""
    if line.figures is None:
        reason = line.withheld or Withheld.TOO_FEW
        return t(f"report.withheld.{reason.value}", k=k)
    return said_with_interval(line.figures, t, key="report.group_value", n=line.figures.n)


def _composition(report: SurveyReport, figures: Figures, t: Translator) -> ReportSection:
    counts = figures.composition
    rows = [
        ReportRow(
            label=t(f"report.{name}"),
            value=t("report.count_share", count=count, share=percent(count / counts.n)),
        )
        for name, count in (
            ("promoters", counts.promoters),
            ("passives", counts.passives),
            ("detractors", counts.detractors),
        )
    ]
    interval = figures.interval
    finite = interval.method is IntervalMethod.FINITE_POPULATION
    rows.append(
        ReportRow(
            t("report.interval_population", invited=interval.population)
            if finite
            else t("report.interval"),
            t(
                "report.interval_value",
                low=signed(interval.low or 0.0),
                high=signed(interval.high or 0.0),
            ),
        )
    )
    structure = report.structure
    if structure is not None and structure.satisfaction is not None:
        rows.append(
            ReportRow(
                t("report.satisfaction"), t("report.share", share=percent(structure.satisfaction))
            )
        )
    if structure is not None and structure.connection is not None:
        rows.append(
            ReportRow(
                t("report.connection"), t("report.share", share=percent(structure.connection))
            )
        )
    notes = []
    if finite:
        notes.append(
            t("report.interval_population_note", answered=counts.n, invited=interval.population)
        )
    if report.phase is not None:
        notes.append(t(f"report.phase.{report.phase.phase.value}"))
        if report.phase.progress is not None:
            notes.append(t(f"report.progress.{report.phase.progress.value}"))
    return ReportSection(title=t("report.composition"), rows=tuple(rows), notes=tuple(notes))


def _trend(report: SurveyReport, t: Translator) -> ReportSection | None:
    if not report.trend and report.period is PeriodKind.WAVE:
        # Answers from the card or an import belong to no wave: say why there is no trend.
        return ReportSection(
            title=t("report.trend.wave"), rows=(), notes=(t("report.trend.no_waves"),)
        )
    if len(report.trend) < 2:
        return None
    rows = tuple(ReportRow(line.label, group_value(line, k=report.k, t=t)) for line in report.trend)
    notes: list[str] = []
    found = report.change
    if found is None:
        notes.append(t("report.change.unavailable", k=report.k))
    else:
        test = found.change
        values = {
            "previous": found.previous,
            "current": found.current,
            # "Up 12 points" carries its sign in the words; "no clear change" needs it.
            "difference": signed(test.difference or 0.0)
            if test.verdict is Verdict.NO_CLEAR_CHANGE
            else str(abs(display_round(test.difference or 0.0))),
            "p": p_value(test.p_value),
        }
        key = {
            Verdict.UP: "report.change.up",
            Verdict.DOWN: "report.change.down",
            Verdict.NO_CLEAR_CHANGE: "report.change.none",
        }[test.verdict]
        points = abs(display_round(test.difference or 0.0))
        notes.append(t.plural(key, points, **values))
    return ReportSection(
        title=t(f"report.trend.{report.period.value}"), rows=rows, notes=tuple(notes)
    )


def p_value(p: float | None) -> str:
    """A p-value for people: three decimals, or "< 0.001"."""
    if p is None:
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _segments(report: SurveyReport, t: Translator) -> ReportSection | None:
    if report.by is None:
        return None
    rows = tuple(
        ReportRow(line.label, group_value(line, k=report.k, t=t)) for line in report.segments
    )
    notes = [t("report.segments_note", k=report.k), t("report.segments_as_asked")]
    if not rows:
        notes.insert(0, t("report.segments_none", by=report.by))
    return ReportSection(title=t("report.segments", by=report.by), rows=rows, notes=tuple(notes))


def _wave_groups(report: SurveyReport, t: Translator) -> ReportSection | None:
    """The latest wave's response rate per group, as the gate released it."""
    if report.by is None or not report.wave_groups:
        return None
    rows = tuple(
        ReportRow(group.label, _response_value(group, k=report.k, t=t))
        for group in report.wave_groups
    )
    wave = report.wave_groups_wave or ""
    return ReportSection(
        title=t("report.wave_groups", by=report.by, wave=wave),
        rows=rows,
        notes=(t("report.wave_groups_note"),),
    )


def _response_value(group: GroupResponse, *, k: int, t: Translator) -> str:
    if group.withheld is not None or group.rate is None:
        return t(f"report.withheld.{(group.withheld or Withheld.TOO_FEW).value}", k=k)
    return t(
        "report.response_rate_value",
        rate=percent(group.rate),
        answered=group.answered,
        invited=group.invited,
    )


def _themes(report: SurveyReport, t: Translator) -> ReportSection:
    title = t("report.themes")
    if report.themes is None:
        return ReportSection(title=title, notes=(t("report.themes_too_few", k=report.k_comments),))
    rows = tuple(
        ReportRow(
            theme.term,
            t(
                f"report.theme.{theme.leans.value}",
                detractors=theme.detractor_texts,
                promoters=theme.promoter_texts,
            ),
        )
        for theme in report.themes
    )
    notes: list[str] = [] if rows else [t("report.themes_none")]
    quotes = report.quotes
    if quotes is not None:
        for key, texts, handles in (
            ("report.quotes.detractors", quotes.detractors, quotes.detractor_handles),
            ("report.quotes.promoters", quotes.promoters, quotes.promoter_handles),
        ):
            if texts:
                notes.append(t(key))
                notes.extend(_quote(t, text, handles, index) for index, text in enumerate(texts))
    return ReportSection(title=title, rows=rows, notes=tuple(notes))


def _guidance(report: SurveyReport, t: Translator) -> ReportSection:
    rows = [
        ReportRow(
            t("report.guidance_margin", margin=display_round(item.margin)),
            t("report.guidance_reached")
            if item.additional == 0
            else t("report.guidance_needed", needed=item.needed, additional=item.additional),
        )
        for item in report.guidance
    ]
    notes: list[str] = []
    if report.wave is not None:
        bounds = report.wave.bounds
        rows.append(
            ReportRow(
                t("report.response_rate", wave=report.wave.wave),
                t(
                    "report.response_rate_value",
                    rate=percent(bounds.response_rate or 0.0),
                    answered=bounds.answered,
                    invited=bounds.invited,
                ),
            )
        )
        rows.append(
            ReportRow(
                t("report.wave_interval"),
                t(
                    "report.interval_value",
                    low=signed(report.wave.interval.low or 0.0),
                    high=signed(report.wave.interval.high or 0.0),
                ),
            )
        )
        rows.append(
            ReportRow(
                t("report.bounds"),
                t(
                    "report.interval_value",
                    low=signed(bounds.low or 0.0),
                    high=signed(bounds.high or 0.0),
                ),
            )
        )
        if bounds.low_response:
            notes.append(t("report.low_response"))
    if report.drivers is None:
        notes.append(t("report.drivers_none"))
    return ReportSection(title=t("report.guidance"), rows=tuple(rows), notes=tuple(notes))


def _drivers(report: SurveyReport, t: Translator) -> ReportSection | None:
    """Each driver's mean rating and importance (withheld under k), and how to read them."""
    drivers = report.drivers
    if drivers is None:
        return None
    rows = tuple(
        ReportRow(line.label, _driver_value(line, k=report.k, t=t)) for line in drivers.lines
    )
    notes: list[str] = []
    if drivers.method is Method.SHAPLEY:
        notes.append(t("drivers.report.shapley", r2=_decimal(drivers.r_squared), n=drivers.n))
    elif drivers.method is Method.SPEARMAN:
        notes.append(t("drivers.report.spearman"))
    else:
        notes.append(t("drivers.report.none_rated"))
    notes.extend(
        t("drivers.quadrant.priority", driver=line.label)
        for line in drivers.lines
        if line.quadrant is Quadrant.PRIORITY
    )
    return ReportSection(title=t("drivers.report.title"), rows=rows, notes=tuple(notes))


def _driver_value(line: DriverLine, *, k: int, t: Translator) -> str:
    if line.answers is None:
        return t("drivers.report.withheld", k=k)
    mean = _decimal(line.mean_rating, places=1)
    if line.importance is None:
        return t("drivers.report.value_unknown", mean=mean, n=line.answers)
    if line.evidence is False:
        return t(
            "drivers.report.value_no_evidence",
            mean=mean,
            importance=_decimal(line.importance),
            high=_decimal(line.high),
            n=line.answers,
        )
    return t(
        "drivers.report.value",
        mean=mean,
        importance=_decimal(line.importance),
        low=_decimal(line.low),
        high=_decimal(line.high),
        n=line.answers,
    )


def _decimal(value: float | None, *, places: int = 2) -> str:
    """A ratio or rating for display (``0.42``); a dash when unknown."""
    return "–" if value is None else f"{value:.{places}f}"


def _quote(t: Translator, text: str, handles: tuple[str, ...], index: int) -> str:
    """A quote, with the handle an admin replies to it by when the report has one."""
    if index < len(handles):
        return t("report.quote_with_handle", text=text, handle=handles[index])
    return t("report.quote", text=text)
