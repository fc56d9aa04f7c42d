"""What a report says about the NPS map is a claim: stated only when tested."""

from __future__ import annotations

import numpy as np
import pytest

from bot.i18n import Catalogs, Translator
from bot.report.build import SurveyFacts, build_report
from bot.report.model import ReportRequest, SurveyReport
from bot.report.render import render_report
from bot.stats.terms import Tokenizers, english_terms
from tests.bot.report.cube import cube, verdicts

FACTS = SurveyFacts(name="eng", kind="enps", k=5, k_comments=8)
SCORE_OF = (0, 7, 10)  # a detractor, a passive, a promoter


@pytest.fixture(scope="module")
def t() -> Translator:
    return Catalogs().translator("en")


def report_of(months: list[tuple[int, int, int]]) -> SurveyReport:
    answers = [
        (f"2026-{index + 1:02d}", None, SCORE_OF[which])
        for index, counts in enumerate(months)
        for which, count in enumerate(counts)
        for _ in range(count)
    ]
    cells = cube(answers)
    return build_report(
        FACTS,
        request=ReportRequest(),
        cells=cells,
        verdicts=verdicts(cells, k=5),
        wave=None,
        reasons=(),
        tokenizers=lambda: Tokenizers(japanese=english_terms),
    )


def progress_notes(report: SurveyReport, t: Translator) -> list[str]:
    view = render_report(report, t, charts=False)
    said = {t(f"report.progress.{p}") for p in ("advancing", "stalled", "slipping")}
    return [note for section in view.sections for note in section.notes if note in said]


def test_no_true_change_rarely_reads_as_progress(t: Translator) -> None:
    rng = np.random.default_rng(2026)
    runs, said = 200, 0
    for _ in range(runs):
        months = []
        for _ in range(2):
            detractors, passives, promoters = rng.multinomial(30, (0.4, 0.3, 0.3))
            months.append((int(detractors), int(passives), int(promoters)))
        said += bool(progress_notes(report_of(months), t))
    assert said / runs <= 0.06


def test_fewer_detractors_is_not_called_slipping(t: Translator) -> None:
    report = report_of([(80, 60, 60), (40, 100, 60)])
    assert t("report.progress.slipping") not in progress_notes(report, t)
    assert report.to_json()["structure"]["progress"] != "slipping"


def test_seven_answers_state_no_phase(t: Translator) -> None:
    report = report_of([(0, 0, 7)])
    view = render_report(report, t, charts=False)
    notes = [note for section in view.sections for note in section.notes]
    assert t("report.phase.sustain") not in notes
    assert report.to_json()["structure"]["phase"] is None


def test_a_clear_phase_and_progress_are_stated(t: Translator) -> None:
    report = report_of([(20, 150, 30), (20, 120, 60)])
    notes = progress_notes(report, t)
    assert notes == [t("report.progress.advancing")]
    assert report.to_json()["structure"]["phase"] == "grow_promoters"
