"""The chat view: words from the catalogs in English and Japanese, rounding once."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from bot.i18n import Catalogs, Translator
from bot.report.build import SurveyFacts, build_report
from bot.report.model import ReportRequest, SurveyReport
from bot.report.render import render_report
from bot.stats.terms import Tokenizers, english_terms
from bot.views.common import ReportView
from tests.bot.report.cube import cube, verdicts

FACTS = SurveyFacts(name="eng", kind="enps", k=5, k_comments=8)
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs()


def report_of(
    answers: Iterable[tuple[str | None, str | None, int]], *, request: ReportRequest | None = None
) -> SurveyReport:
    return build_report(
        FACTS,
        request=request or ReportRequest(),
        cells=(cells := cube(answers)),
        verdicts=verdicts(cells, k=5),
        wave=None,
        reasons=(),
        tokenizers=lambda: Tokenizers(japanese=english_terms),
    )


def two_months(*, later_promoters: int) -> SurveyReport:
    before = [("2026-01", "A", 0)] * 20 + [("2026-01", "B", 10)] * 20
    after = [("2026-02", "A", 10)] * later_promoters + [("2026-02", "B", 0)] * (
        40 - later_promoters
    )
    return report_of(before + after, request=ReportRequest(by="team"))


def texts(view: ReportView) -> str:
    parts = [view.title, view.headline]
    for section in view.sections:
        parts.append(section.title)
        parts.extend(f"{row.label}: {row.value}" for row in section.rows)
        parts.extend(section.notes)
    return "\n".join(parts)


def test_headline_has_nps_interval_and_n(catalogs: Catalogs) -> None:
    report = report_of([("2026-03", None, s) for s in (10, 10, 9, 9, 9, 9, 8, 7, 6, 0)])
    assert report.figures is not None and report.figures.interval.margin is not None
    view = render_report(report, catalogs.translator("en"), charts=False)
    # -12.59 to +74.12 about +40: not symmetric, so the interval is said as it is
    assert view.headline == "NPS +40 (95 % from -13 to +74) from 10 answers"


def test_clear_change_is_worded_as_a_change(catalogs: Catalogs) -> None:
    view = render_report(two_months(later_promoters=32), catalogs.translator("en"), charts=False)
    assert "Up 60 points from 2026-01 to 2026-02" in texts(view)
    assert "No clear change" not in texts(view)


def test_small_difference_is_no_clear_change(catalogs: Catalogs) -> None:
    view = render_report(two_months(later_promoters=22), catalogs.translator("en"), charts=False)
    assert "No clear change from 2026-01 to 2026-02 (+10 points" in texts(view)


def test_japanese_report_view(catalogs: Catalogs) -> None:
    t: Translator = catalogs.translator("ja")
    view = render_report(two_months(later_promoters=22), t, charts=False)
    body = texts(view)
    assert view.title == "eNPS レポート：eng"  # an eNPS survey is not an "NPS report"
    assert view.headline == "NPS +5 ± 21（回答 80 件）"
    assert "推奨者（9〜10）: 42 件（53%）" in body
    assert "明確な変化はありません" in body and "月別の推移" in body and "team 別" in body
    assert "Promoters" not in body and "No clear" not in body


def test_withheld_groups_show_no_numbers(catalogs: Catalogs) -> None:
    answers = [("2026-03", "A", 9)] * 19 + [("2026-03", "B", 0)]
    view = render_report(
        report_of(answers, request=ReportRequest(by="team")),
        catalogs.translator("en"),
        charts=False,
    )
    segments = next(s for s in view.sections if s.title == "By team")
    assert [row.label for row in segments.rows] == ["A", "B"]
    a, b = segments.rows
    # Each withheld row says why in words true for it: A is large but would reveal B.
    assert a.value.startswith("withheld: with what is shown here or was shown before")
    assert b.value == "withheld: fewer than 5 answers"
    for row in segments.rows:
        assert "19" not in row.value and "NPS" not in row.value


def test_too_few_answers_show_only_the_count(catalogs: Catalogs) -> None:
    view = render_report(report_of([("2026-03", None, 9)] * 3), catalogs.translator("en"))
    assert view.sections == () and view.charts == ()
    assert "Answers so far: 3." in view.headline


def test_charts_trend_composition_and_distribution(catalogs: Catalogs) -> None:
    t = catalogs.translator("en")
    with_segments = render_report(two_months(later_promoters=22), t)
    assert len(with_segments.charts) == 3
    assert all(chart.startswith(PNG) for chart in with_segments.charts)
    one_period = render_report(report_of([("2026-03", None, 9)] * 6), t)
    assert len(one_period.charts) == 1  # distribution only


def test_a_change_of_one_point_is_one_point(catalogs: Catalogs) -> None:
    before = [("2026-01", None, 0)] * 20 + [("2026-01", None, 10)] * 20
    after = [("2026-02", None, 10)] * 50 + [("2026-02", None, 0)] * 49 + [("2026-02", None, 8)]
    view = render_report(report_of(before + after), catalogs.translator("en"), charts=False)
    assert "No clear change from 2026-01 to 2026-02 (+1 point, p = " in texts(view)
    assert view.headline.endswith("from 140 answers")
