"""Charts say what the gate said and carry their context: a withheld month captioned
with its own reason, withheld groups marked, intervals beside each bar, and titles that
name the survey, the period and the score (eNPS for an employee survey)."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from bot.charts.composition import CompositionLabels, composition_figure
from bot.charts.text import CategoryNames
from bot.i18n import Catalogs, Translator
from bot.report.build import SurveyFacts, build_report
from bot.report.charts import chart_title, composition_rows, trend_points
from bot.report.model import ReportRequest, SurveyReport
from bot.report.render import render_report
from bot.stats.terms import Tokenizers, english_terms
from tests.bot.report.cube import cube, verdicts

ENPS = SurveyFacts(name="eng", kind="enps", k=5, k_comments=8)
NPS = SurveyFacts(name="app", kind="nps", k=5, k_comments=8)


@pytest.fixture(scope="module", params=["en", "ja"])
def t(request: pytest.FixtureRequest) -> Translator:
    return Catalogs().translator(request.param)


def report_of(
    answers: Iterable[tuple[str | None, str | None, int]],
    *,
    facts: SurveyFacts = ENPS,
    by: str | None = None,
) -> SurveyReport:
    cells = cube(answers)
    return build_report(
        facts,
        request=ReportRequest(by=by),
        cells=cells,
        verdicts=verdicts(cells, k=5),
        wave=None,
        reasons=(),
        tokenizers=lambda: Tokenizers(japanese=english_terms),
    )


def test_a_month_withheld_to_protect_another_says_so(t: Translator) -> None:
    # 2026-01 has 20 answers, 2026-02 has 2: January is withheld because the overall
    # figure minus January would reveal February, not because it is small.
    answers = [("2026-01", None, 9)] * 20 + [("2026-02", None, 0)] * 2
    report = report_of(answers)
    january, february = trend_points(report, t)
    assert january.nps is None and february.nps is None
    assert january.gap == t("report.chart.withheld.reveals", k=5)
    assert february.gap == t("report.chart.withheld.too_few", k=5)
    assert january.gap != february.gap


def test_the_composition_chart_marks_withheld_groups_and_shows_intervals(
    t: Translator,
) -> None:
    answers = [("2026-03", "A", 9)] * 12 + [("2026-03", "A", 0)] * 8
    answers += [("2026-03", "B", 10)] * 15 + [("2026-03", "C", 0)] * 2
    report = report_of(answers, by="team")
    rows = {row.label: row for row in composition_rows(report, t)}
    assert set(rows) == {"A", "B", "C"}
    assert rows["C"].withheld == t("report.chart.withheld.too_few", k=5)
    assert rows["C"].composition.n == 0 and rows["C"].interval is None
    shown = [row for row in rows.values() if row.withheld is None]
    assert shown and all(row.interval is not None for row in shown)
    names = CategoryNames(detractors="D", passives="P", promoters="Pr")
    labels = CompositionLabels(
        title="t",
        x_axis="x",
        categories=names,
        percent="{value}%",
        summary="NPS {nps} · n = {n}",
        interval_summary=t("report.chart.interval_summary"),
    )
    figure = composition_figure(list(rows.values()), labels)
    written = [text.get_text() for text in figure.axes[0].texts]
    assert t("report.chart.withheld.too_few", k=5) in written


def test_titles_carry_survey_period_and_score(t: Translator) -> None:
    answers = [("2026-01", None, 10)] * 10 + [("2026-02", None, 10)] * 5
    answers += [("2026-02", None, 0)] * 5
    enps = report_of(answers)
    title = chart_title(enps, t, t("report.chart.trend"))
    assert "eng" in title and "2026-01" in title and "2026-02" in title
    assert "eNPS +50" in title
    nps = report_of(answers, facts=NPS)
    assert "NPS +50" in chart_title(nps, t, "x") and "eNPS" not in chart_title(nps, t, "x")


def test_an_enps_survey_is_not_titled_nps_report(t: Translator) -> None:
    answers = [("2026-01", None, 10)] * 6
    assert render_report(report_of(answers), t, charts=False).title.startswith("eNPS")
    nps_title = render_report(report_of(answers, facts=NPS), t, charts=False).title
    assert nps_title.startswith("NPS")
