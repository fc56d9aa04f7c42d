"""A report says the interval it computed: "± m" only when the interval is symmetric
about the shown score, the interval itself otherwise, and the finite-population
interval when the answers are those of a wave with known invitations."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

import pytest

from bot.i18n import Catalogs
from bot.report.build import SurveyFacts, build_report
from bot.report.model import ReportRequest, SurveyReport
from bot.report.render import render_report
from bot.stats.terms import Tokenizers, english_terms
from storage.aggregates import WaveCounts
from tests.bot.report.cube import cube, verdicts

FACTS = SurveyFacts(name="eng", kind="enps", k=5, k_comments=8)
TWELVE = [10] * 5 + [8] * 5 + [3, 0]  # 5 promoters, 5 passives, 2 detractors: +25


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs()


def report_of(
    scores: Iterable[int], *, wave: WaveCounts | None = None, by_wave: bool = False
) -> SurveyReport:
    period = "2026-03-02" if by_wave else "2026-03"
    cells = cube((period, None, score) for score in scores)
    return build_report(
        FACTS,
        request=ReportRequest(period="wave" if by_wave else None),
        cells=cells,
        verdicts=verdicts(cells, k=5, wave=wave is not None),
        wave=wave,
        reasons=(),
        tokenizers=lambda: Tokenizers(japanese=english_terms),
    )


def wave_of(scores: Iterable[int], *, invited: int) -> WaveCounts:
    histogram = [0] * 11
    for score in scores:
        histogram[score] += 1
    return WaveCounts(
        wave_id=uuid.uuid4(), label="2026-03-02", invited=invited, histogram=tuple(histogram)
    )


def test_all_twelve_invited_answered_the_interval_is_the_score(catalogs: Catalogs) -> None:
    report = report_of(TWELVE, wave=wave_of(TWELVE, invited=12))
    assert report.figures is not None
    data = report.to_json()
    assert data["ci_low"] == data["ci_high"] == pytest.approx(25.0)
    assert data["margin"] == 0.0 and data["interval_method"] == "finite_population"
    assert data["invited_ci_low"] == data["invited_ci_high"] == pytest.approx(25.0)
    en = render_report(report, catalogs.translator("en"), charts=False)
    assert en.headline == "NPS +25 ± 0 from 12 answers"
    rows = {row.label: row.value for section in en.sections for row in section.rows}
    assert rows["95 % interval for the 12 invited"] == "+25 to +25"
    notes = [note for section in en.sections for note in section.notes]
    assert any("finite-population correction" in note for note in notes)
    ja = render_report(report, catalogs.translator("ja"), charts=False)
    assert ja.headline == "NPS +25 ± 0（回答 12 件）"
    assert any("有限母集団修正" in note for section in ja.sections for note in section.notes)


def test_a_trend_line_of_the_wave_gets_its_population_interval() -> None:
    report = report_of(TWELVE, wave=wave_of(TWELVE, invited=12), by_wave=True)
    (line,) = report.trend
    assert line.figures is not None
    assert line.figures.interval.low == line.figures.interval.high == pytest.approx(25.0)
    assert report.to_json()["trend"][0]["interval_method"] == "finite_population"


def test_answers_beyond_the_wave_keep_the_open_audience_interval() -> None:
    report = report_of([*TWELVE, 9, 9], wave=wave_of(TWELVE, invited=12))
    data = report.to_json()
    assert data["interval_method"] == "adjusted_wald"
    assert data["ci_low"] < data["ci_high"]
    assert data["invited_ci_low"] == pytest.approx(25.0)  # the wave itself is still known


def test_an_interval_not_symmetric_about_the_score_is_shown_as_it_is(
    catalogs: Catalogs,
) -> None:
    report = report_of([10] * 20)  # +100, interval clipped at +100
    assert report.figures is not None
    interval = report.figures.interval
    assert interval.low is not None and interval.high == 100.0
    low = round(interval.low)
    en = render_report(report, catalogs.translator("en"), charts=False)
    assert en.headline == f"NPS +100 (95 % from +{low} to +100) from 20 answers"
    assert "±" not in en.headline
    ja = render_report(report, catalogs.translator("ja"), charts=False)
    assert ja.headline == f"NPS +100（95% 信頼区間 +{low} 〜 +100、回答 20 件）"
    # the JSON margin keeps its documented meaning: half the width of the interval
    assert report.to_json()["margin"] == pytest.approx((100.0 - interval.low) / 2)


def test_a_symmetric_interval_keeps_plus_minus(catalogs: Catalogs) -> None:
    report = report_of([10] * 400 + [8] * 200 + [0] * 400)  # 0, centred on 0
    view = render_report(report, catalogs.translator("en"), charts=False)
    assert report.figures is not None and report.figures.interval.high is not None
    assert view.headline == f"NPS 0 ± {round(report.figures.interval.high)} from 1000 answers"


def test_rows_of_a_breakdown_say_their_interval_as_it_is(catalogs: Catalogs) -> None:
    cells = cube([("2026-03", "A", 10)] * 20 + [("2026-03", "B", 0)] * 20)
    report = build_report(
        FACTS,
        request=ReportRequest(by="team"),
        cells=cells,
        verdicts=verdicts(cells, k=5),
        wave=None,
        reasons=(),
        tokenizers=lambda: Tokenizers(japanese=english_terms),
    )
    view = render_report(report, catalogs.translator("en"), charts=False)
    segments = next(s for s in view.sections if s.title == "By team")
    values = [row.value for row in segments.rows]
    assert values[0].startswith("NPS +100 (95 % from +") and values[0].endswith(", n = 20)")
    assert values[1].startswith("NPS -100 (95 % from -100 to -")
