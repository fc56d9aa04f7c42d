"""Replies in the console: after a typed reason the session keeps its reply token and
says so; ``/nps replies`` reads the thread, ``… answer TEXT`` answers back and
``… close`` closes it, through the same use cases as Slack and Discord. A session that
holds no token, or someone else's, sees the empty thread. Driven through the console's
session with the real engine (SQLite and PostgreSQL), then once as a real process."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from adapters.console.platform import PLATFORM, TENANT, ConsolePlatform
from adapters.console.render import render
from adapters.console.session import ConsoleSession
from bot.domain.people import Person
from bot.domain.surveys import DEFAULT_SURVEY
from bot.runtime.services import Services
from bot.usecases.keys import PersonKeys
from storage.models import Response
from tests.adapters.console.test_console_cli import env_for, nps
from tests.support.replies_world import released_report, writers


def _session(services: Services, user: str, *, admin: bool = False) -> ConsoleSession:
    person = Person(platform=PLATFORM, tenant=TENANT, user_id=user, is_admin=admin)
    return ConsoleSession(services.engine, services.commands, ConsolePlatform(person))


async def _handle_of(services: Services, reason: str) -> str:
    async with services.database.transaction() as session:
        answer, survey = (
            await session.execute(
                select(col(Response.id), col(Response.survey_id)).where(
                    col(Response.reason) == reason
                )
            )
        ).one()
    return PersonKeys(services.waves.pepper).handles.handle(survey, answer)


async def _typed(session: ConsoleSession, line: str) -> str:
    return "\n".join(render(view) for view in await session.handle(line))


async def test_the_writer_reads_answers_back_and_closes_in_the_session(
    services: Services,
) -> None:
    t = services.catalogs.translator("en")
    await writers(services, platform=PLATFORM, tenant=TENANT)
    alice = _session(services, "alice")
    await alice.open()
    await _typed(alice, "10")
    thanked = await _typed(alice, "Kind colleagues, ask @everyone")
    assert thanked.endswith(t("console.replies_hint"))
    await released_report(services)
    mine = await _handle_of(services, "Kind colleagues, ask @everyone")

    admin = _session(services, "boss", admin=True)
    await admin.open()
    told = await _typed(admin, f"/nps reply {DEFAULT_SURVEY} {mine} Thanks, which part?")
    assert t("replies.sent", handle=mine) in told

    shown = await _typed(alice, "/nps replies")
    assert f"\n  {t('replies.from_admin')}: Thanks, which part?\n" in shown
    assert shown.endswith(t("replies.typed_hint"))
    answered = await _typed(alice, "/nps replies answer the buddy system")
    assert f"  {t('replies.from_you')}: the buddy system" in answered
    refused = await _typed(alice, "/nps replies answer   ")
    assert refused == "✗ " + t("replies.empty")
    closed = await _typed(alice, "/nps replies close")
    assert t("replies.closed") in closed and t("replies.typed_hint") not in closed

    # Bob's session holds no token; given Alice's, it still sees nothing of hers.
    bob = _session(services, "bob")
    assert await _typed(bob, "/nps replies") == "\n".join([t("replies.title"), t("replies.none")])
    bob.reply_token = alice.reply_token
    for line in ("/nps replies", "/nps replies answer hello", "/nps replies close"):
        assert t("replies.none") in await _typed(bob, line)
    threads = await services.replies.threads(platform=PLATFORM, tenant=TENANT, name=DEFAULT_SURVEY)
    [thread] = [th for th in threads if th.handle == mine]
    # Closed; the answer back reaches admins only with the next periodic notice.
    assert thread.closed and [m for _, m in thread.messages] == ["Thanks, which part?"]


def test_a_real_console_offers_replies_after_a_reason_and_a_new_one_holds_none(
    tmp_path: Path,
) -> None:
    env = env_for(tmp_path)
    done = nps(["console", "--user", "yan"], cwd=tmp_path, stdin="9\nfine\n/nps replies\n", env=env)
    assert done.returncode == 0, done.stderr
    assert "type /nps replies in this session" in done.stdout
    assert done.stdout.rstrip().endswith("There are no replies to this answer yet.")
    again = nps(["console", "--user", "yan"], cwd=tmp_path, stdin="/nps replies\n", env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.rstrip().endswith("There are no replies to this answer yet.")
