"""Chart images of a report, from :mod:`bot.charts` with translated labels.

Which charts: the trend when there are at least two periods, the composition by segment
when a breakdown was asked for and some group is shown, the heatmap of each segment in
each period when the report holds one and some cell of it is shown, the driver quadrant
when at least two drivers are shown, and the score distribution.
Withheld periods and groups never reach a chart with their numbers: each is marked with
the reason the disclosure gate gave. Every title names the survey, the period shown and
the score (NPS or eNPS), since an image often travels without its report.
"""

from __future__ import annotations

from bot.charts.composition import CompositionLabels, CompositionRow, composition_chart
from bot.charts.distribution import DistributionLabels, distribution_chart
from bot.charts.drivers import DriverLabels, DriverPoint, QuadrantCaptions, driver_quadrant_chart
from bot.charts.heatmap import HeatmapCell, HeatmapLabels, heatmap_chart
from bot.charts.text import CategoryNames, format_nps
from bot.charts.trend import TrendLabels, TrendPoint, trend_chart
from bot.i18n import Translator
from bot.report.model import GroupLine, SurveyReport
from bot.stats.selection import Verdict


def report_charts(report: SurveyReport, t: Translator) -> tuple[bytes, ...]:
    """PNG images for ``report`` (none when its figures are withheld)."""
    if report.histogram is None:
        return ()
    names = CategoryNames(
        detractors=t("report.detractors"),
        passives=t("report.passives"),
        promoters=t("report.promoters"),
    )
    images: list[bytes] = []
    if len(report.trend) >= 2:
        images.append(_trend(report, t))
    rows = composition_rows(report, t)
    if report.by is not None and any(row.withheld is None for row in rows):
        images.append(
            composition_chart(
                rows,
                CompositionLabels(
                    title=chart_title(report, t, t("report.chart.composition", by=report.by)),
                    x_axis=t("report.chart.share"),
                    categories=names,
                    percent=t("report.chart.percent"),
                    summary=t("report.chart.summary"),
                    interval_summary=t("report.chart.interval_summary"),
                ),
            )
        )
    heatmap = _heatmap(report, t)
    if heatmap is not None:
        images.append(heatmap)
    drivers = _drivers(report, t)
    if drivers is not None:
        images.append(drivers)
    images.append(
        distribution_chart(
            report.histogram,
            DistributionLabels(
                title=chart_title(report, t, t("report.chart.distribution")),
                x_axis=t("report.chart.score"),
                y_axis=t("report.chart.answers"),
                categories=names,
            ),
        )
    )
    return tuple(images)


def _heatmap(report: SurveyReport, t: Translator) -> bytes | None:
    parts = heatmap_parts(report, t)
    return None if parts is None else heatmap_chart(*parts)


HeatmapParts = tuple[list[str], list[str], list[HeatmapCell], HeatmapLabels]


def heatmap_parts(report: SurveyReport, t: Translator) -> HeatmapParts | None:
    """What the heatmap draws: each segment in each period, rows in the order of the
    segment lines and columns in the order of the trend, withheld cells marked with the
    gate's reason; None when the report has no cell to show."""
    if report.by is None or not any(cell.figures is not None for cell in report.grid):
        return None
    groups = {cell.group for cell in report.grid}
    periods = {cell.period for cell in report.grid}
    rows = [line.label for line in report.segments if line.label in groups]
    columns = [line.label for line in report.trend if line.label in periods]
    cells = [
        HeatmapCell(
            row=cell.group,
            column=cell.period,
            nps=cell.figures.nps if cell.figures else None,
            n=cell.figures.n if cell.figures else 0,
            withheld=None if cell.figures else (cell.withheld or Verdict.REVEALS).value,
        )
        for cell in report.grid
        if cell.group in rows and cell.period in columns
    ]
    return (
        rows,
        columns,
        cells,
        HeatmapLabels(
            title=t("heatmap.title", by=report.by),
            x_axis=t(f"report.chart.period.{report.period.value}"),
            y_axis=report.by,
            scale=t("report.chart.nps"),
            count=t("report.chart.count"),
            empty=t("heatmap.empty"),
            reasons={
                reason.value: t(f"heatmap.withheld.{reason.value}", k=report.k)
                for reason in (Verdict.TOO_FEW, Verdict.REVEALS)
            },
        ),
    )


def _drivers(report: SurveyReport, t: Translator) -> bytes | None:
    """The quadrant of mean rating against importance, for two or more shown drivers."""
    if report.drivers is None:
        return None
    points = [
        DriverPoint(name=line.label, satisfaction=line.mean_rating, importance=line.importance)
        for line in report.drivers.lines
        if line.mean_rating is not None and line.importance is not None
    ]
    if len(points) < 2:
        return None
    return driver_quadrant_chart(
        points,
        DriverLabels(
            title=chart_title(report, t, t("drivers.chart.title")),
            x_axis=t("drivers.chart.importance"),
            y_axis=t("drivers.chart.satisfaction"),
            quadrants=QuadrantCaptions(
                fix_first=t("drivers.chart.fix_first"),
                strengths=t("drivers.chart.strengths"),
                monitor=t("drivers.chart.monitor"),
                maintain=t("drivers.chart.maintain"),
            ),
        ),
    )


def chart_title(report: SurveyReport, t: Translator, chart: str) -> str:
    """``chart`` with the survey, the period shown and the score: "NPS over time —
    eng · 2026-01 to 2026-03 · eNPS +25"."""
    periods = [line.label for line in report.trend]
    if not periods:
        period = ""
    elif len(periods) == 1:
        period = periods[0]
    else:
        period = t("report.chart.period_range", first=periods[0], last=periods[-1])
    return t(
        "report.chart.title" if period else "report.chart.title_no_period",
        chart=chart,
        survey=report.survey,
        period=period,
        score=t(report.score_key),
        nps=format_nps(report.nps or 0.0),
    )


def withheld_caption(line: GroupLine, *, k: int, t: Translator) -> str:
    """The gate's reason for a withheld period or group, short enough for a chart."""
    reason = line.withheld or Verdict.TOO_FEW
    return t(f"report.chart.withheld.{reason.value}", k=k)


def composition_rows(report: SurveyReport, t: Translator) -> list[CompositionRow]:
    """A bar per shown group with its interval; a marked row per withheld group."""
    rows = []
    for line in report.segments:
        if line.figures is None:
            rows.append(
                CompositionRow(
                    label=line.label,
                    detractors=0,
                    passives=0,
                    promoters=0,
                    withheld=withheld_caption(line, k=report.k, t=t),
                )
            )
            continue
        interval = line.figures.interval
        counts = line.figures.composition
        rows.append(
            CompositionRow(
                label=line.label,
                detractors=counts.detractors,
                passives=counts.passives,
                promoters=counts.promoters,
                interval=None
                if interval.low is None or interval.high is None
                else (interval.low, interval.high),
            )
        )
    return rows


def trend_points(report: SurveyReport, t: Translator) -> list[TrendPoint]:
    """A point per period; a withheld one is a gap captioned with the gate's reason."""
    points = []
    for line in report.trend:
        if line.figures is None:
            points.append(
                TrendPoint(
                    period=line.label,
                    n=0,
                    nps=None,
                    gap=withheld_caption(line, k=report.k, t=t),
                )
            )
            continue
        interval = line.figures.interval
        # The interval is centred on the adjusted estimate; with very few answers the raw
        # NPS can lie just outside it, and the chart draws the band around the point.
        low = min(interval.low or 0.0, line.figures.nps)
        high = max(interval.high or 0.0, line.figures.nps)
        points.append(
            TrendPoint(
                period=line.label, n=line.figures.n, nps=line.figures.nps, ci_low=low, ci_high=high
            )
        )
    return points


def _trend(report: SurveyReport, t: Translator) -> bytes:
    return trend_chart(
        trend_points(report, t),
        TrendLabels(
            title=chart_title(report, t, t("report.chart.trend")),
            x_axis=t(f"report.chart.period.{report.period.value}"),
            y_axis=t("report.chart.nps"),
            estimate=t("report.chart.nps"),
            interval=t("report.interval"),
            count=t("report.chart.count"),
            suppressed=t("report.withheld_short", k=report.k),
        ),
    )
