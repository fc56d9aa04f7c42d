"""The pure report: statistics from a score cube, with the privacy rules applied."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.report.build import SurveyFacts, build_report
from bot.report.model import ReportRequest, SurveyReport
from bot.stats.change import Verdict
from bot.stats.structure import Phase
from bot.stats.terms import Tokenizers, english_terms
from storage.aggregates import WaveCounts, WrittenReason
from tests.bot.report.cube import cube, verdicts

FACTS = SurveyFacts(name="eng", kind="enps", k=5, k_comments=8)
Z = 1.959964


def english_only() -> Tokenizers:
    return Tokenizers(japanese=english_terms)


def report_of(
    answers: Iterable[tuple[str | None, str | None, int]],
    *,
    request: ReportRequest | None = None,
    reasons: Sequence[WrittenReason] = (),
    wave: WaveCounts | None = None,
    facts: SurveyFacts = FACTS,
) -> SurveyReport:
    return build_report(
        facts,
        request=request or ReportRequest(),
        cells=(cells := cube(answers)),
        verdicts=verdicts(cells, k=facts.k, wave=wave is not None),
        wave=wave,
        reasons=reasons,
        tokenizers=english_only,
    )


def test_interval_is_the_adjusted_wald_interval_computed_by_hand() -> None:
    # 6 promoters, 2 passives, 2 detractors: NPS 40.
    scores = [10, 10, 9, 9, 9, 9, 8, 7, 6, 0]
    report = report_of([("2026-03", None, s) for s in scores])
    assert report.figures is not None
    # n' = 13, p'P = 6.75/13, p'D = 2.75/13, c' = 4/13, V' = 9.5/13 - (4/13)^2
    centre = 4 / 13
    variance = 9.5 / 13 - (4 / 13) ** 2
    half = Z * math.sqrt(variance / 13)
    assert report.figures.nps == pytest.approx(40.0, abs=1e-9)
    assert report.figures.interval.low == pytest.approx(100 * (centre - half), abs=1e-9)
    assert report.figures.interval.high == pytest.approx(100 * (centre + half), abs=1e-9)
    assert report.figures.interval.margin == pytest.approx(100 * half, abs=1e-9)
    assert report.histogram == (1, 0, 0, 0, 0, 0, 1, 1, 1, 4, 2)


def test_below_k_only_the_count_is_kept() -> None:
    report = report_of([("2026-03", "A", s) for s in (10, 9, 0, 3)])
    assert report.suppressed and report.n == 4
    assert report.histogram is None and report.trend == () and report.segments == ()
    data = report.to_json()
    assert data["n"] == 4 and data["nps"] is None and data["promoters"] is None


def test_differencing_company_20_team_a_19_withholds_a() -> None:
    answers = [("2026-03", "A", 9)] * 19 + [("2026-03", "B", 0)]
    report = report_of(answers, request=ReportRequest(by="team"))
    assert report.figures is not None and report.n == 20
    lines = {line.label: line for line in report.segments}
    assert lines["A"].figures is None and lines["B"].figures is None
    assert report.to_json()["segments"] == [
        {"label": "A", "suppressed": True, "withheld": "reveals"},
        {"label": "B", "suppressed": True, "withheld": "too_few"},
    ]


def test_unlabelled_answers_protect_like_a_group() -> None:
    # 3 answers carry no team: showing A (17 of 20) would reveal them by subtraction.
    answers = [("2026-03", "A", 9)] * 17 + [("2026-03", None, 0)] * 3
    report = report_of(answers, request=ReportRequest(by="team"))
    assert [line.figures for line in report.segments] == [None]


def test_segments_sort_by_nps_and_withheld_go_last() -> None:
    answers = (
        [("2026-03", "low", 0)] * 6
        + [("2026-03", "high", 10)] * 6
        + [("2026-03", "mid", 8)] * 6
        + [("2026-03", "tiny", 9)] * 5
        + [("2026-03", "x", 9)] * 2
    )
    report = report_of(answers, request=ReportRequest(by="team"))
    # x (2) is too few; the remainder 2 < 5 then withholds the smallest shown (tiny, 5).
    assert [line.label for line in report.segments] == ["high", "mid", "low", "tiny", "x"]
    assert [line.figures is None for line in report.segments] == [False] * 3 + [True] * 2


def test_trend_change_is_called_only_when_significant() -> None:
    before = [("2026-01", None, 0)] * 30 + [("2026-01", None, 10)] * 10
    after = [("2026-02", None, 10)] * 30 + [("2026-02", None, 0)] * 10
    report = report_of(before + after)
    assert report.change is not None
    assert report.change.change.verdict is Verdict.UP
    assert report.change.change.p_value is not None and report.change.change.p_value < 0.05
    assert (report.change.previous, report.change.current) == ("2026-01", "2026-02")

    similar = [("2026-02", None, 10)] * 11 + [("2026-02", None, 0)] * 29
    flat = report_of(before + similar)
    assert flat.change is not None and flat.change.change.verdict is Verdict.NO_CLEAR_CHANGE
    assert flat.to_json()["p_value"] == flat.change.change.p_value


def test_no_change_when_a_period_is_withheld() -> None:
    answers = [("2026-01", None, 9)] * 20 + [("2026-02", None, 0)] * 2
    report = report_of(answers)
    assert [line.figures is None for line in report.trend] == [True, True]
    assert report.change is None


def test_phase_reads_the_composition_trend() -> None:
    # 30 answers in the latest month, S = 0.4: its interval lies wholly under 0.7
    answers = [("2026-01", None, 0)] * 20 + [("2026-01", None, 8)] * 10
    answers += [("2026-02", None, 0)] * 18 + [("2026-02", None, 8)] * 12
    report = report_of(answers)
    assert report.phase is not None and report.phase.phase is Phase.REDUCE_DETRACTORS
    structure = report.to_json()["structure"]
    assert structure["phase"] == "reduce_detractors"
    assert structure["satisfaction"] == pytest.approx(22 / 60)
    # the same shares from 15 answers a month do not support a phase
    small = report_of([(p, g, s) for p, g, s in answers[::2]])
    assert small.phase is None and small.to_json()["structure"]["phase"] is None


DETRACTOR_TEXTS = ("slow builds", "slow reviews", "noisy office", "slow laptop", "unclear goals")
PROMOTER_TEXTS = ("great mentoring", "kind people", "great team", "learning a lot", "great culture")


def _reasons(detractors: int, promoters: int) -> list[WrittenReason]:
    return [
        WrittenReason(0, DETRACTOR_TEXTS[i % len(DETRACTOR_TEXTS)]) for i in range(detractors)
    ] + [WrittenReason(10, PROMOTER_TEXTS[i % len(PROMOTER_TEXTS)]) for i in range(promoters)]


def test_themes_only_above_the_comment_threshold() -> None:
    answers = [("2026-03", None, 0)] * 10 + [("2026-03", None, 10)] * 10
    below = report_of(answers, reasons=_reasons(7, 10))
    assert below.themes is None and below.to_json()["themes"] is None
    assert report_of(answers, reasons=_reasons(8, 10)).themes is not None


def test_themes_name_what_sets_the_sides_apart() -> None:
    answers = [("2026-03", None, 0)] * 60 + [("2026-03", None, 10)] * 60
    report = report_of(answers, reasons=_reasons(60, 60))
    assert report.themes is not None
    leans = {theme.term: theme.leans.value for theme in report.themes}
    assert leans["slow"] == "detractors" and leans["great"] == "promoters"


def test_quotes_only_on_request_and_above_the_threshold() -> None:
    answers = [("2026-03", None, 0)] * 10 + [("2026-03", None, 10)] * 10
    reasons = _reasons(8, 3)
    assert report_of(answers, reasons=reasons).quotes is None
    quoted = report_of(answers, reasons=reasons, request=ReportRequest(quotes=True))
    assert quoted.quotes is not None
    assert len(quoted.quotes.detractors) == 3 and quoted.quotes.promoters == ()


def test_wave_bounds_and_response_rate() -> None:
    answers = [("2026-03", None, 10)] * 6 + [("2026-03", None, 0)] * 2
    wave = WaveCounts(
        wave_id=__import__("uuid").uuid4(),
        label="2026-03-02",
        invited=20,
        histogram=(2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6),
    )
    data = report_of(answers, wave=wave).to_json()
    assert data["response_rate"] == pytest.approx(8 / 20)
    assert data["bounds_low"] == pytest.approx(100 * (4 - 12) / 20)
    assert data["bounds_high"] == pytest.approx(100 * (4 + 12) / 20)
    assert data["invited"] == 20 and data["drivers"] is None


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["2026-01", "2026-02"]),
            st.sampled_from(["A", "B", None]),
            st.integers(0, 10),
        ),
        max_size=60,
    )
)
def test_shown_groups_never_fall_under_k_nor_reveal_one(
    answers: list[tuple[str, str | None, int]],
) -> None:
    report = report_of(answers, request=ReportRequest(by="team"))
    for lines in (report.segments, report.trend):
        shown = [line.figures.n for line in lines if line.figures is not None]
        assert all(n >= FACTS.k for n in shown)
        hidden = report.n - sum(shown)
        if report.figures is not None:
            assert hidden == 0 or hidden >= FACTS.k
        else:
            assert shown == []
