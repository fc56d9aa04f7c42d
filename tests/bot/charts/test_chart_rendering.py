"""Every chart renders a PNG of the chart size, in the CJK font, without missing glyphs."""

from __future__ import annotations

import io
from collections.abc import Callable

import matplotlib
import pytest
from matplotlib.figure import Figure

from bot.charts.composition import composition_chart
from bot.charts.distribution import DistributionLabels, distribution_chart
from bot.charts.drivers import driver_quadrant_chart
from bot.charts.fonts import cjk_font_path
from bot.charts.heatmap import heatmap_chart
from bot.charts.trend import trend_chart
from tests.bot.charts.chart_samples import (
    ENGLISH,
    FIGURE_BUILDERS,
    JAPANESE,
    SAMPLE_HISTOGRAM,
    FigureBuilder,
    Language,
    assert_chart_png,
    glyph_warnings,
    resolved_font_file,
    sample_drivers,
    sample_rows,
    sample_trend,
    visible_texts,
)
from tests.bot.charts.heatmap_samples import sample_heatmap

CHARTS: dict[str, Callable[[Language], bytes]] = {
    "trend": lambda lang: trend_chart(sample_trend(lang), lang.trend),
    "composition": lambda lang: composition_chart(sample_rows(lang), lang.composition),
    "distribution": lambda lang: distribution_chart(SAMPLE_HISTOGRAM, lang.distribution),
    "drivers": lambda lang: driver_quadrant_chart(sample_drivers(lang), lang.drivers),
    "heatmap": lambda lang: heatmap_chart(*sample_heatmap(japanese=lang is not ENGLISH)),
}


@pytest.mark.parametrize("chart", CHARTS.values(), ids=CHARTS.keys())
def test_chart_is_a_png_of_the_chart_size(
    chart: Callable[[Language], bytes], language: Language
) -> None:
    with glyph_warnings() as missing:
        data = chart(language)
    assert_chart_png(data)
    assert missing == []


@pytest.mark.parametrize("build", FIGURE_BUILDERS.values(), ids=FIGURE_BUILDERS.keys())
def test_every_text_resolves_to_the_cjk_font_file(build: FigureBuilder, language: Language) -> None:
    with glyph_warnings() as missing:
        figure = build(language)
        figure.canvas.draw()
    texts = visible_texts(figure)
    assert texts
    assert {resolved_font_file(text) for text in texts} == {cjk_font_path()}
    assert missing == []


@pytest.mark.parametrize("build", FIGURE_BUILDERS.values(), ids=FIGURE_BUILDERS.keys())
def test_japanese_labels_are_drawn(build: FigureBuilder) -> None:
    figure = build(JAPANESE)
    figure.canvas.draw()
    drawn = " ".join(text.get_text() for text in visible_texts(figure))
    assert any("\u3040" <= char <= "\u9fff" for char in drawn)


def test_glyph_check_detects_a_font_without_japanese() -> None:
    """The missing-glyph check used above does catch tofu (so its silence means something)."""
    figure = Figure()
    figure.text(0.5, 0.5, "推奨者", fontfamily="DejaVu Sans")
    with glyph_warnings() as missing:
        figure.savefig(io.BytesIO(), format="png")
    assert missing


def test_symbols_missing_from_the_cjk_font_fall_back_without_tofu() -> None:
    with glyph_warnings() as missing:
        data = distribution_chart(
            SAMPLE_HISTOGRAM,
            DistributionLabels(
                "回答 ≥ 5件のみ", "スコア", "回答数", JAPANESE.distribution.categories
            ),
        )
    assert_chart_png(data)
    assert missing == []


@pytest.mark.parametrize("chart", CHARTS.values(), ids=CHARTS.keys())
def test_charts_leave_global_font_settings_alone(
    chart: Callable[[Language], bytes], language: Language
) -> None:
    before = {key: value for key, value in matplotlib.rcParams.items() if key.startswith("font")}
    chart(language)
    after = {key: value for key, value in matplotlib.rcParams.items() if key.startswith("font")}
    assert after == before
