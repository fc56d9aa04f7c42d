"""A heatmap sample in English and Japanese: shown, withheld and blank cells."""

from __future__ import annotations

from bot.charts.heatmap import HeatmapCell, HeatmapLabels

HeatmapSample = tuple[list[str], list[str], list[HeatmapCell], HeatmapLabels]


def sample_heatmap(*, japanese: bool) -> HeatmapSample:
    if japanese:
        rows, columns = ["開発", "営業", "サポート"], ["1月", "2月", "3月"]
        labels = HeatmapLabels(
            title="チーム別・期間別のNPS",
            x_axis="月",
            y_axis="チーム",
            scale="NPS",
            count="n = {n}",
            empty="回答なし",
            reasons={
                "too_few": "非表示：回答が 5 件未満です",
                "reveals": "非表示：差し引きすると 5 件未満の回答が判明します",
            },
        )
    else:
        rows, columns = ["Engineering", "Sales", "Support"], ["Jan", "Feb", "Mar"]
        labels = HeatmapLabels(
            title="NPS by team and period",
            x_axis="Month",
            y_axis="team",
            scale="NPS",
            count="n = {n}",
            empty="no answers",
            reasons={
                "too_few": "withheld: fewer than 5 answers",
                "reveals": "withheld: it would reveal fewer than 5 answers by subtraction",
            },
        )
    (a, b, c), (x, y, z) = rows, columns
    cells = [
        HeatmapCell(a, x, 42.0, n=12),
        HeatmapCell(a, y, -100.0, n=6),
        HeatmapCell(a, z, 100.0, n=9),
        HeatmapCell(b, x, None, withheld="too_few"),
        HeatmapCell(b, y, 0.0, n=7),
        HeatmapCell(b, z, None, withheld="reveals"),
        HeatmapCell(c, x, -12.5, n=8),
        HeatmapCell(c, y, None, withheld="too_few"),
    ]  # Support in March: nobody answered
    return rows, columns, cells, labels
