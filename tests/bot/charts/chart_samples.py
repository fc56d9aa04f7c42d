"""Sample inputs in English and Japanese, and helpers to inspect rendered charts."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib import font_manager
from matplotlib import image as mpimg
from matplotlib.figure import Figure
from matplotlib.text import Text

from bot.charts.canvas import HEIGHT_PX, WIDTH_PX
from bot.charts.composition import CompositionLabels, CompositionRow, composition_figure
from bot.charts.distribution import DistributionLabels, distribution_figure
from bot.charts.drivers import DriverLabels, DriverPoint, QuadrantCaptions, driver_quadrant_figure
from bot.charts.heatmap import heatmap_figure
from bot.charts.text import CategoryNames
from bot.charts.trend import TrendLabels, TrendPoint, trend_figure
from tests.bot.charts.heatmap_samples import sample_heatmap

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def decode_png(data: bytes) -> np.ndarray:
    """Decode PNG bytes (raising on anything that is not a PNG) into an RGBA array."""
    assert data.startswith(PNG_SIGNATURE)
    return np.asarray(mpimg.imread(io.BytesIO(data), format="png"))


def assert_chart_png(data: bytes) -> None:
    pixels = decode_png(data)
    assert pixels.shape[:2] == (HEIGHT_PX, WIDTH_PX)
    rgb = pixels[..., :3]
    assert (rgb < 0.5).any(), "nothing dark was drawn"
    assert (rgb > 0.9).all(axis=-1).mean() > 0.3, "expected a mostly white background"


def visible_texts(figure: Figure) -> list[Text]:
    """Every text the figure draws (tick labels included; call after a draw)."""
    return [
        text
        for text in figure.findobj(Text)
        if isinstance(text, Text) and text.get_visible() and text.get_text().strip()
    ]


def resolved_font_file(text: Text) -> Path:
    """The font file matplotlib picks for the text's first family."""
    found = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
    return Path(found).resolve()


@contextmanager
def glyph_warnings() -> Iterator[list[str]]:
    """Collect matplotlib's missing-glyph warnings raised inside the block."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found: list[str] = []
        yield found
    found.extend(str(w.message) for w in caught if "missing from font" in str(w.message))


@dataclass(frozen=True)
class Language:
    trend: TrendLabels
    composition: CompositionLabels
    distribution: DistributionLabels
    drivers: DriverLabels
    periods: tuple[str, ...]
    teams: tuple[str, ...]
    driver_names: tuple[str, ...]


_EN_CATEGORIES = CategoryNames("Detractors (0–6)", "Passives (7–8)", "Promoters (9–10)")
_JA_CATEGORIES = CategoryNames("批判者（0–6）", "中立者（7–8）", "推奨者（9–10）")

ENGLISH = Language(
    trend=TrendLabels(
        "NPS by month", "Month", "NPS", "NPS", "95 % interval", "n = {n}", "too few answers"
    ),
    composition=CompositionLabels(
        "Answers by team", "Share of answers", _EN_CATEGORIES, "{value}%", "NPS {nps} · n = {n}"
    ),
    distribution=DistributionLabels("Scores given", "Score", "Answers", _EN_CATEGORIES),
    drivers=DriverLabels(
        "What drives the score",
        "Importance",
        "Mean satisfaction (1–5)",
        QuadrantCaptions("Fix first", "Strengths", "Monitor", "Maintain"),
    ),
    periods=("Jan", "Feb", "Mar", "Apr", "May", "Jun"),
    teams=("Engineering", "Sales", "Support", "Design"),
    driver_names=("Pay", "Career growth", "Manager", "Workload", "Tools", "Team"),
)

JAPANESE = Language(
    trend=TrendLabels(
        "月別NPSの推移", "月", "NPS", "NPS", "95%信頼区間", "回答 {n}件", "回答が少ないため非表示"
    ),
    composition=CompositionLabels(
        "チーム別の回答構成", "回答の割合", _JA_CATEGORIES, "{value}%", "NPS {nps}・{n}件"
    ),
    distribution=DistributionLabels("スコアの分布", "スコア", "回答数", _JA_CATEGORIES),
    drivers=DriverLabels(
        "スコアを左右する要因",
        "重要度",
        "平均満足度（1–5）",
        QuadrantCaptions("最優先で改善", "強み", "様子を見る", "維持"),
    ),
    periods=("1月", "2月", "3月", "4月", "5月", "6月"),
    teams=("開発", "営業", "サポート", "デザイン"),
    driver_names=("給与", "キャリア成長", "上司", "業務量", "ツール", "チーム"),
)


def sample_trend(language: Language) -> list[TrendPoint]:
    values = [
        (42, 12.0, -8.0, 31.0),
        (3, None, None, None),
        (55, 20.0, 3.5, 36.0),
        (80, 27.5, 14.0, 40.0),
        (61, -5.0, -24.0, 14.0),
        (120, 88.0, 79.0, 95.0),
    ]
    return [
        TrendPoint(period, n, nps, low, high)
        for period, (n, nps, low, high) in zip(language.periods, values, strict=True)
    ]


def sample_rows(language: Language) -> list[CompositionRow]:
    counts = [(5, 20, 60), (10, 15, 20), (12, 10, 9), (2, 1, 30)]
    return [
        CompositionRow(team, *count) for team, count in zip(language.teams, counts, strict=True)
    ]


SAMPLE_HISTOGRAM = (2, 0, 1, 3, 4, 9, 12, 30, 41, 55, 38)


def sample_drivers(language: Language) -> list[DriverPoint]:
    values = [(2.6, 0.62), (2.9, 0.55), (3.9, 0.48), (2.4, 0.41), (3.4, 0.22), (4.3, 0.35)]
    return [
        DriverPoint(name, satisfaction, importance)
        for name, (satisfaction, importance) in zip(language.driver_names, values, strict=True)
    ]


FigureBuilder = Callable[[Language], Figure]

FIGURE_BUILDERS: dict[str, FigureBuilder] = {
    "trend": lambda lang: trend_figure(sample_trend(lang), lang.trend),
    "composition": lambda lang: composition_figure(sample_rows(lang), lang.composition),
    "distribution": lambda lang: distribution_figure(SAMPLE_HISTOGRAM, lang.distribution),
    "drivers": lambda lang: driver_quadrant_figure(sample_drivers(lang), lang.drivers),
    "heatmap": lambda lang: heatmap_figure(*sample_heatmap(japanese=lang is JAPANESE)),
}
