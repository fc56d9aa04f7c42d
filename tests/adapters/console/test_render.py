"""Every view renders as plain text without losing what it says."""

from __future__ import annotations

from adapters.console.render import render
from bot.views.common import HomeView, ReportRow, ReportSection, ReportView, SurveyCard


def test_report_rows_are_aligned() -> None:
    view = ReportView(
        title="T",
        headline="H",
        sections=(
            ReportSection(
                title="S", rows=(ReportRow("a", "1"), ReportRow("longer", "2")), notes=("note",)
            ),
        ),
    )
    assert render(view).splitlines() == ["T", "H", "", "S", "  a       1", "  longer  2", "  note"]


def test_card_and_home_render() -> None:
    card = SurveyCard(survey_id="x", title="Card", question="Q?", notice="N", button_label="B")
    assert render(card) == "Card\nQ?\n  N"
    report = ReportView(title="R", headline="H")
    home = HomeView(
        title="Home",
        privacy="P",
        opted_out=False,
        status_text="In",
        toggle_label="Stop",
        answer_label="Answer",
        admin_report=report,
    )
    assert render(home) == "Home\nIn\nP\n\nR\nH"
