"""The report's heatmap: which cells it shows, which it marks withheld and why, in the
words of both languages."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.charts.heatmap import heatmap_figure
from bot.i18n import Catalogs
from bot.report.build import SurveyFacts, build_report
from bot.report.charts import heatmap_parts, report_charts
from bot.report.model import ReportRequest, SurveyReport
from bot.stats.disclosure import Verdict
from bot.stats.themes import default_tokenizers
from tests.bot.report.cube import cube, verdicts

FACTS = SurveyFacts(name="eng", kind="enps", k=5, k_comments=8)
ANSWERS = [
    *[("2026-01", "eng", s) for s in (9, 10, 9, 3, 8, 10)],
    *[("2026-02", "eng", s) for s in (9, 2, 9, 3, 8, 10)],
    *[("2026-01", "ops", s) for s in (0, 6, 9, 7, 5, 4)],
    *[("2026-02", "ops", s) for s in (9, 9)],
]
GRID = {
    ("eng", "2026-01"): Verdict.ADMITTED,
    ("eng", "2026-02"): Verdict.ADMITTED,
    ("ops", "2026-01"): Verdict.REVEALS,
    ("ops", "2026-02"): Verdict.TOO_FEW,
}


def report_with_grid() -> SurveyReport:
    cells = cube(ANSWERS)
    return build_report(
        FACTS,
        request=ReportRequest(by="team", period="month"),
        cells=cells,
        verdicts=replace(verdicts(cells, k=5), grid=GRID),
        wave=None,
        reasons=(),
        tokenizers=default_tokenizers,
    )


@pytest.mark.parametrize("language", ["en", "ja"])
def test_withheld_cells_are_marked_with_the_gates_reason_in_words(language: str) -> None:
    t = Catalogs().translator(language)
    report = report_with_grid()
    parts = heatmap_parts(report, t)
    assert parts is not None
    rows, columns, cells, labels = parts

    assert columns == ["2026-01", "2026-02"]
    assert set(rows) == {"eng", "ops"}
    by_place = {(c.row, c.column): c for c in cells}
    assert by_place[("eng", "2026-01")].n == 6 and by_place[("eng", "2026-01")].nps == 50.0
    assert (by_place[("ops", "2026-01")].nps, by_place[("ops", "2026-01")].withheld) == (
        None,
        "reveals",
    )
    assert by_place[("ops", "2026-02")].withheld == "too_few"
    assert labels.title == t("heatmap.title", by="team")
    assert labels.reasons == {
        "too_few": t("heatmap.withheld.too_few", k=5),
        "reveals": t("heatmap.withheld.reveals", k=5),
    }
    figure = heatmap_figure(rows, columns, cells, labels)
    legend = figure.axes[0].get_legend()
    assert legend is not None
    assert [text.get_text() for text in legend.get_texts()] == [
        f"* {t('heatmap.withheld.too_few', k=5)}",
        f"† {t('heatmap.withheld.reveals', k=5)}",
    ]
    # A withheld cell's size is part of what is withheld: no count of it is drawn.
    drawn = " ".join(text.get_text() for text in figure.axes[0].texts)
    assert "n = 2" not in drawn and "n = 6" in drawn


def test_the_heatmap_is_one_of_the_reports_charts_only_with_a_shown_cell() -> None:
    report = report_with_grid()
    t = Catalogs().translator("en")
    with_grid = report_charts(report, t)
    without = report_charts(replace(report, grid=()), t)
    hidden = tuple(replace(c, figures=None, withheld=Verdict.REVEALS) for c in report.grid)
    all_withheld = replace(report, grid=hidden)
    assert len(with_grid) == len(without) + 1
    assert heatmap_parts(all_withheld, t) is None
