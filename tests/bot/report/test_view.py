"""The chat report through the engine: people answer, an admin reads the view."""

from __future__ import annotations

from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.common import Notice, ReasonPrompt, ReportView, ScorePrompt, Tone


def someone(user: str, *, locale: str = "en", admin: bool = False, **segments: str) -> Person:
    return Person(
        platform="test", tenant="T1", user_id=user, locale=locale, segments=segments, is_admin=admin
    )


async def answer(services: Services, who: Person, score: int) -> None:
    prompt = await services.engine.start(who)
    assert isinstance(prompt, ScorePrompt)
    view = await services.engine.record_score(who, survey_id=prompt.survey_id, score=score)
    assert isinstance(view, ReasonPrompt)


async def test_differencing_is_refused_in_the_chat_view(services: Services) -> None:
    for i in range(19):
        await answer(services, someone(f"a{i}", team="A"), 9)
    await answer(services, someone("b0", team="B"), 0)
    view = await services.commands.handle(someone("boss", admin=True), "report --by team")
    assert isinstance(view, ReportView)
    assert view.headline == "NPS +90 (95 % from +55 to +100) from 20 answers"
    segments = next(section for section in view.sections if section.title == "By team")
    assert [(row.label, row.value.startswith("withheld")) for row in segments.rows] == [
        ("A", True),
        ("B", True),
    ]
    assert len(view.charts) == 1  # the distribution; no group can be drawn


async def test_japanese_admin_reads_a_japanese_report(services: Services) -> None:
    for i in range(6):
        await answer(services, someone(f"u{i}", team="A"), 10 if i % 2 else 6)
    view = await services.engine.report(someone("boss", locale="ja-JP", admin=True))
    assert isinstance(view, ReportView)
    assert view.title == "NPS レポート：default"
    assert view.headline == "NPS 0 ± 60（回答 6 件）"
    titles = [section.title for section in view.sections]
    assert titles[0] == "構成" and "精度と回答率" in titles


async def test_unknown_period_is_an_error_notice(services: Services) -> None:
    view = await services.commands.handle(someone("boss", admin=True), "report --period fortnight")
    assert isinstance(view, Notice) and view.tone is Tone.ERROR and "fortnight" in view.text
