"""A report never says "no theme" when one is strong, in either language."""

from __future__ import annotations

import pytest

from bot.i18n import Catalogs
from bot.report.build import SurveyFacts, build_report
from bot.report.model import ReportRequest, SurveyReport
from bot.report.render import render_report
from bot.stats.terms import Tokenizers, default_tokenizers
from storage.answer_scope import WrittenReason
from tests.bot.report.cube import cube, verdicts

FACTS = SurveyFacts(name="eng", kind="enps", k=5, k_comments=12)
TOPICS = "desk lunch wiki badge chair coffee printer parking calendar travel budget email"


@pytest.fixture(scope="module")
def tokenizers() -> Tokenizers:
    return default_tokenizers()


def report_with(reasons: list[WrittenReason], tokenizers: Tokenizers) -> SurveyReport:
    cells = cube([("2026-03", None, r.score) for r in reasons])
    return build_report(
        FACTS,
        request=ReportRequest(),
        cells=cells,
        verdicts=verdicts(cells, k=5),
        wave=None,
        reasons=reasons,
        tokenizers=lambda: tokenizers,
    )


def test_twelve_of_twelve_detractors_make_a_theme(tokenizers: Tokenizers) -> None:
    words = TOPICS.split()
    reasons = [WrittenReason(2, f"the {w} is bad and the overtime never ends") for w in words]
    reasons += [WrittenReason(10, f"the {w} is good") for w in words]
    report = report_with(reasons, tokenizers)
    assert report.themes is not None
    overtime = next(theme for theme in report.themes if theme.term == "overtime")
    assert (overtime.detractor_texts, overtime.promoter_texts) == (12, 0)
    assert report.to_json()["themes"][0]["p_value"] == pytest.approx(overtime.p_value)
    catalogs = Catalogs()
    for language in ("en", "ja"):
        t = catalogs.translator(language)
        view = render_report(report, t, charts=False)
        notes = [note for section in view.sections for note in section.notes]
        assert t("report.themes_none") not in notes
        rows = [row.label for section in view.sections for row in section.rows]
        assert "overtime" in rows


def test_japanese_reasons_keep_their_negation(tokenizers: Tokenizers) -> None:
    reasons = [WrittenReason(3, "休みが取れない"), WrittenReason(4, "残業が減らない")] * 15
    reasons += [WrittenReason(9, "チームが良い"), WrittenReason(10, "仕事が楽しい")] * 15
    report = report_with(reasons, tokenizers)
    assert report.themes is not None
    terms = {theme.term for theme in report.themes}
    assert {"取れない", "減らない"} <= terms and not {"取れる", "減る"} & terms
