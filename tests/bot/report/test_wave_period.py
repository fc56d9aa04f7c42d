"""``--period wave`` on answers that belong to no wave (card answers, CSV imports).

The overall figures count every answer; only the trend by wave is empty, and the view
says so instead of claiming there are no answers.
"""

from __future__ import annotations

from bot.runtime.services import Services
from bot.views.common import ReportView
from tests.bot.report.test_view import answer, someone

SCORES = [10, 10, 9, 9, 8, 7, 3, 0]  # 4 promoters, 2 passives, 2 detractors: NPS +25


async def test_answers_outside_any_wave_still_count_by_wave(services: Services) -> None:
    for i, score in enumerate(SCORES):
        await answer(services, someone(f"u{i}"), score)
    boss = someone("boss", admin=True)
    view = await services.commands.handle(boss, "report --period wave")
    assert isinstance(view, ReportView)
    assert view.headline == "NPS +25 (95 % from -29 to +66) from 8 answers"
    trend = next(section for section in view.sections if section.title == "Trend by wave")
    assert trend.rows == ()
    assert trend.notes == (
        "None of these answers belongs to a wave, so there is no trend by wave.",
    )
    by_month = await services.commands.handle(boss, "report --period month")
    assert isinstance(by_month, ReportView)
    assert all(section.title != "Trend by wave" for section in by_month.sections)


async def test_japanese_view_says_there_is_no_wave(services: Services) -> None:
    for i, score in enumerate(SCORES):
        await answer(services, someone(f"u{i}"), score)
    boss = someone("boss", locale="ja", admin=True)
    view = await services.commands.handle(boss, "report --period wave")
    assert isinstance(view, ReportView)
    assert "8" in view.headline
    notes = [note for section in view.sections for note in section.notes]
    assert "どの回答も配信回に属していないため、配信回別の推移はありません。" in notes
