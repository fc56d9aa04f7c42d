"""The engine's use cases against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.domain.nps import Category
from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.common import Notice, ReasonPrompt, ReportView, ScorePrompt, Tone
from storage.models import Contact, Response
from tests.support.clock import Clock


def person(
    user: str = "U1",
    *,
    locale: str | None = "en",
    admin: bool = False,
    tenant: str = "T1",
    **segments: str,
) -> Person:
    return Person(
        platform="test",
        tenant=tenant,
        user_id=user,
        locale=locale,
        segments=segments,
        is_admin=admin,
    )


async def count_responses(services: Services) -> int:
    async with services.database.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(Response))).scalar_one())


async def all_responses(services: Services) -> list[Response]:
    async with services.database.transaction() as session:
        return list((await session.execute(select(Response))).scalars())


async def answer(
    services: Services, who: Person, score: object, reason: str | None = None
) -> ReasonPrompt:
    prompt = await services.engine.start(who)
    assert isinstance(prompt, ScorePrompt)
    view = await services.engine.record_score(who, survey_id=prompt.survey_id, score=score)
    assert isinstance(view, ReasonPrompt)
    if reason is not None:
        thanks = await services.engine.record_reason(who, token=view.token, reason=reason)
        assert isinstance(thanks, Notice) and thanks.tone is Tone.SUCCESS
    return view


async def test_full_path_stores_one_anonymous_answer_with_reason(services: Services) -> None:
    alice = person("U-alice", team="eng")
    view = await answer(services, alice, 3, reason="Too many meetings")

    assert view.category is Category.DETRACTOR
    assert "disappointed" in view.prompt
    [stored] = await all_responses(services)
    assert (stored.score, stored.reason, stored.segments) == (
        3,
        "Too many meetings",
        {"team": "eng"},
    )
    assert stored.answered_on == services.clock().date()


async def test_reason_prompt_fits_the_category(services: Services) -> None:
    prompts = {}
    for user, score in (("a", 6), ("b", 7), ("c", 8), ("d", 9), ("e", 10), ("f", 0)):
        prompts[score] = (await answer(services, person(user), score)).prompt
    assert prompts[0] == prompts[6] != prompts[7]
    assert prompts[7] == prompts[8] == "What would make it a 9 or 10?"
    assert prompts[9] == prompts[10] == "What do you value most?"


async def test_score_is_kept_when_reason_is_skipped(services: Services) -> None:
    who = person()
    view = await answer(services, who, 8)
    skipped = await services.engine.record_reason(who, token=view.token, reason="   ")
    assert isinstance(skipped, Notice) and skipped.tone is Tone.SUCCESS
    [stored] = await all_responses(services)
    assert (stored.score, stored.reason) == (8, None)


async def test_invalid_scores_are_refused_and_nothing_is_stored(services: Services) -> None:
    who = person()
    prompt = await services.engine.start(who)
    assert isinstance(prompt, ScorePrompt)
    for bad in ("11", "-1", "7.5", "seven", "", "١٠", "１１", True, 3.0, None, 42):
        view = await services.engine.record_score(who, survey_id=prompt.survey_id, score=bad)
        assert isinstance(view, Notice) and view.tone is Tone.ERROR and view.retry, bad
    assert await count_responses(services) == 0
    # the question is still open: a valid score afterwards is accepted
    ok = await services.engine.record_score(who, survey_id=prompt.survey_id, score=" １０点 ")
    assert isinstance(ok, ReasonPrompt) and ok.score == 10


async def test_double_click_stores_one_answer(services: Services) -> None:
    who = person()
    prompt = await services.engine.start(who)
    assert isinstance(prompt, ScorePrompt)
    first = await services.engine.record_score(who, survey_id=prompt.survey_id, score=9)
    second = await services.engine.record_score(who, survey_id=prompt.survey_id, score=9)
    assert isinstance(first, ReasonPrompt)
    assert isinstance(second, Notice) and "already recorded" in second.text
    assert await count_responses(services) == 1


async def test_concurrent_deliveries_store_one_answer(services: Services) -> None:
    who = person()
    prompt = await services.engine.start(who)
    assert isinstance(prompt, ScorePrompt)
    views = await asyncio.gather(
        *(services.engine.record_score(who, survey_id=prompt.survey_id, score=7) for _ in range(5))
    )
    assert sum(isinstance(view, ReasonPrompt) for view in views) == 1
    assert await count_responses(services) == 1


async def test_reason_over_the_limit_is_refused_with_the_limit_named(services: Services) -> None:
    who = person(locale="ja")
    view = await answer(services, who, 5)
    refused = await services.engine.record_reason(who, token=view.token, reason="あ" * 2001)
    assert isinstance(refused, Notice) and refused.tone is Tone.ERROR and refused.retry
    assert "2001" in refused.text and "2000" in refused.text and "文字" in refused.text
    [stored] = await all_responses(services)
    assert stored.reason is None
    accepted = await services.engine.record_reason(who, token=view.token, reason="あ" * 2000)
    assert isinstance(accepted, Notice) and accepted.tone is Tone.SUCCESS


async def test_reason_token_of_someone_else_or_tampered_is_refused(services: Services) -> None:
    alice, mallory = person("alice"), person("mallory")
    view = await answer(services, alice, 9)
    stolen = await services.engine.record_reason(mallory, token=view.token, reason="hijack")
    tampered = await services.engine.record_reason(
        alice, token=_tampered(view.token), reason="hijack"
    )
    for refused in (stolen, tampered):
        assert isinstance(refused, Notice) and refused.tone is Tone.ERROR
    [stored] = await all_responses(services)
    assert stored.reason is None


async def test_reason_token_expires(services: Services, clock: Clock) -> None:
    who = person()
    view = await answer(services, who, 9)
    clock.advance(days=15)
    late = await services.engine.record_reason(who, token=view.token, reason="late")
    assert isinstance(late, Notice) and late.tone is Tone.ERROR


async def test_asked_again_too_soon_names_the_next_date(services: Services, clock: Clock) -> None:
    who = person()
    await answer(services, who, 9)
    clock.advance(days=30)
    view = await services.engine.start(who)
    assert isinstance(view, Notice)
    assert "Next time from August 7, 2026" in view.text  # 2026-03-10 + 150 days
    clock.advance(days=120)
    assert isinstance(await services.engine.start(who), ScorePrompt)


async def test_japanese_too_soon_message_uses_japanese_dates(services: Services) -> None:
    who = person(locale="ja-JP")
    await answer(services, who, 9)
    view = await services.engine.start(who)
    assert isinstance(view, Notice) and "2026年8月7日" in view.text


async def test_an_open_ask_is_shown_again_not_counted_twice(services: Services) -> None:
    who = person()
    assert isinstance(await services.engine.start(who), ScorePrompt)
    assert isinstance(await services.engine.start(who), ScorePrompt)
    async with services.database.transaction() as session:
        asks = (await session.execute(select(func.count()).select_from(Contact))).scalar_one()
    assert asks == 1


async def test_opted_out_people_are_never_asked(services: Services) -> None:
    who = person()
    prompt = await services.engine.start(who)
    assert isinstance(prompt, ScorePrompt)
    assert isinstance(await services.engine.opt_out(who), Notice)
    again = await services.engine.opt_out(who)
    assert isinstance(again, Notice) and "already" in again.text
    refused_start = await services.engine.start(who)
    assert isinstance(refused_start, Notice) and "opted out" in refused_start.text
    refused = await services.engine.record_score(who, survey_id=prompt.survey_id, score=9)
    assert isinstance(refused, Notice) and await count_responses(services) == 0
    await services.engine.opt_in(who)
    assert isinstance(await services.engine.start(who), ScorePrompt)


async def test_unknown_or_foreign_survey_ids_are_refused(services: Services) -> None:
    ours = person(tenant="T1")
    theirs = person(tenant="T2")
    prompt = await services.engine.start(theirs)
    assert isinstance(prompt, ScorePrompt)
    for survey_id in ("not-a-uuid", "00000000-0000-0000-0000-000000000000", prompt.survey_id):
        view = await services.engine.record_score(ours, survey_id=survey_id, score=5)
        assert isinstance(view, Notice) and view.tone is Tone.ERROR
    assert await count_responses(services) == 0


async def test_report_is_for_admins_only(services: Services) -> None:
    for i, score in enumerate((10, 9, 9, 7, 3, 0)):
        await answer(services, person(f"u{i}"), score)
    refused = await services.commands.handle(person("u0"), "report")
    assert isinstance(refused, Notice) and "admins" in refused.text
    shown = await services.commands.handle(person("boss", admin=True), "/nps report")
    assert isinstance(shown, ReportView)
    # (3 − 2) / 6 = 16.7 → +17; adjusted Wald: D′=2.75 P′=3.75 n′=9, V′=0.7099, 1.96·√(V′/9)=55
    assert shown.headline == "NPS +17 (95 % from -44 to +66) from 6 answers"


async def test_commands_dispatch(services: Services) -> None:
    who = person(locale="ja")
    help_view = await services.commands.handle(who, "help")
    privacy_view = await services.commands.handle(who, "privacy")
    assert isinstance(help_view, Notice) and "/nps optout" in help_view.text
    assert isinstance(privacy_view, Notice) and "{k}" not in privacy_view.text
    unknown = await services.commands.handle(who, "frobnicate")
    assert isinstance(unknown, Notice) and "frobnicate" in unknown.text
    assert isinstance(await services.commands.handle(who, ""), ScorePrompt)


async def test_report_shows_only_the_count_below_k(services: Services) -> None:
    for i, score in enumerate((10, 9, 3, 0)):
        await answer(services, person(f"u{i}"), score)
    shown = await services.engine.report(person("boss", admin=True))
    assert isinstance(shown, ReportView)
    assert shown.sections == ()
    assert "Answers so far: 4." in shown.headline and "at least 5" in shown.headline


async def test_forget_me_deletes_everything_keyed_to_the_person(services: Services) -> None:
    who, other = person("U-forget"), person("U-stays")
    await answer(services, who, 9, reason="fine")
    await answer(services, other, 6)
    await services.engine.opt_out(who)
    view = await services.commands.handle(who, "forget-me")
    assert isinstance(view, Notice) and view.tone is Tone.SUCCESS and "anonymous" in view.text
    async with services.database.transaction() as session:
        asks = (await session.execute(select(func.count()).select_from(Contact))).scalar_one()
    assert asks == 1  # only the other person's ask remains
    assert await count_responses(services) == 2  # answers stay, anonymous
    # No longer opted out, but not asked again before the cap allows (tests/bot/test_forget_me.py).
    again = await services.engine.start(who)
    t = services.catalogs.translator("en")
    assert isinstance(again, Notice) and again.text != t("answer.opted_out")


async def test_retention_clears_old_reasons_and_keeps_scores(
    services: Services, clock: Clock
) -> None:
    await answer(services, person("old"), 9, reason="old reason")
    clock.advance(days=400)
    await answer(services, person("new"), 3, reason="new reason")
    clock.advance(days=365)  # the first answer is now 765 days (> 24 months) old
    assert await services.engine.apply_retention() == 1
    reasons = sorted((r.score, r.reason or "") for r in await all_responses(services))
    assert reasons == [(3, "new reason"), (9, "")]
    assert await services.engine.apply_retention() == 0


async def test_reason_prompt_can_be_shown_again_for_the_same_answer(services: Services) -> None:
    who = person()
    first = await answer(services, who, 7)
    again = await services.engine.reason_prompt(who, token=first.token)
    assert isinstance(again, ReasonPrompt)
    assert (again.score, again.prompt, again.token) == (7, first.prompt, first.token)
    refused = await services.engine.reason_prompt(person("other"), token=first.token)
    assert isinstance(refused, Notice) and refused.tone is Tone.ERROR


def _tampered(token: str) -> str:
    """The token with one character in its middle changed (the last character of a
    base64 text may only carry padding bits, so changing it can leave the bytes equal)."""
    middle = len(token) // 2
    return token[:middle] + ("B" if token[middle] != "B" else "C") + token[middle + 1 :]
