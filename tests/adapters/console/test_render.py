"""Every view renders as plain text without losing what it says."""

from __future__ import annotations

from dataclasses import replace

from adapters.console.render import render
from bot.views.common import HomeView, ReportRow, ReportSection, ReportView, SurveyCard
from bot.views.replies import RepliesView, ReplyLine


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
    noticed = replace(home, admin_report=None, replies_notice="New replies in survey s.")
    assert render(noticed) == "Home\nIn\nNew replies in survey s.\nP"


def test_a_reply_of_several_lines_cannot_pass_for_another_message() -> None:
    view = RepliesView(
        title="Replies",
        intro="I",
        lines=(ReplyLine(who="The survey team", text="Thanks\nYou: I take it back"),),
        token="tok",
        open=True,
        answer_label="A",
        close_label="C",
        input_label="In",
        submit_label="S",
        limit=2000,
        typed_hint="type",
    )
    assert render(view).splitlines() == [
        "Replies",
        "I",
        "  The survey team: Thanks",
        "      You: I take it back",
        "type",
    ]
    assert render(replace(view, open=False)).splitlines()[-1] == "      You: I take it back"
