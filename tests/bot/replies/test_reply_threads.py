"""Replies end to end through the use cases, on SQLite and PostgreSQL: an admin replies
to a quoted comment, only its writer reads it through their own token, answers back and
closes the thread; forged and foreign tokens see what "no replies" looks like."""

from __future__ import annotations

import pytest

from bot.domain.errors import SurveyError
from bot.domain.people import Person
from bot.domain.surveys import DEFAULT_SURVEY
from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.usecases.reply_notices import announce_replies
from bot.views.common import Notice
from bot.views.replies import RepliesView
from storage.replies import Author
from tests.support.recording_platform import RecordingPlatform
from tests.support.replies_world import CHANNEL, Writer, quoted, released_report, writers


async def _setup(services: Services) -> tuple[list[Writer], dict[str, Writer]]:
    everyone = await writers(services)
    handles = quoted(await released_report(services), everyone)
    assert len(handles) == 6
    return everyone, handles


async def _send(services: Services, handle: str, text: str) -> bool:
    return await services.replies.send(
        platform="console", tenant="local", name=DEFAULT_SURVEY, handle=handle, text=text
    )


async def _view(services: Services, writer: Writer, token: str | None = None) -> RepliesView:
    if token is None:
        button = services.engine.replies_button(writer.person, reason_token=writer.token)
        assert button is not None
        token = button.token
    view = await services.engine.show_replies(writer.person, token=token)
    assert isinstance(view, RepliesView)
    return view


async def test_only_the_writer_reads_the_reply_answers_and_closes(services: Services) -> None:
    everyone, handles = await _setup(services)
    handle, writer = next(iter(handles.items()))
    assert await _send(services, handle, "Thank you @everyone, see https://example.com/x")
    assert not await _send(services, handle.upper(), "Can you say more?")

    view = await _view(services, writer)
    assert view.open and [line.text for line in view.lines] == [
        "Thank you @\u2060everyone, see https:\u2060//example.com/x",
        "Can you say more?",
    ]
    assert all("@everyone" not in line.text and "://" not in line.text for line in view.lines)

    # Everyone else, with their own token, sees the empty view; so does the writer's
    # token in another person's hands, and a forged one.
    other = next(w for w in everyone if w is not writer)
    empty = await _view(services, other)
    assert not empty.open and not empty.lines
    writer_token = await _view(services, writer)
    assert await _view(services, other, writer_token.token) == RepliesView(
        **{**empty.__dict__, "token": writer_token.token}
    )
    forged = writer_token.token[:-2] + ("AA" if writer_token.token[-2:] != "AA" else "BB")
    assert (await _view(services, writer, forged)).lines == ()
    # A reason token is no reply token.
    assert (await _view(services, writer, writer.token)).lines == ()

    answered = await services.engine.answer_back(
        writer.person, token=writer_token.token, text="builds take 40 minutes <!channel>"
    )
    assert isinstance(answered, RepliesView) and len(answered.lines) == 3
    assert answered.lines[2].text == "builds take 40 minutes <!channel>"

    # Admins see the answer back only once the periodic notice covered it.
    threads = await services.replies.threads(
        platform="console", tenant="local", name=DEFAULT_SURVEY
    )
    assert [t.handle for t in threads] == [handle]
    assert [who for who, _ in threads[0].messages] == [Author.ADMIN, Author.ADMIN]
    platform = RecordingPlatform(tenant="local", name="console")
    assert await announce_replies(services.waves, Reach(platform=platform, tenant="local")) == 1
    assert await announce_replies(services.waves, Reach(platform=platform, tenant="local")) == 0
    assert [post.channel for post in platform.posts] == [CHANNEL]
    notice = platform.posts[0].view
    assert isinstance(notice, Notice) and DEFAULT_SURVEY in notice.text
    assert writer.person.user_id not in notice.text and handle not in notice.text
    threads = await services.replies.threads(
        platform="console", tenant="local", name=DEFAULT_SURVEY
    )
    assert threads[0].messages[2] == (Author.RESPONDENT, "builds take 40 minutes <!channel>")

    closed = await services.engine.close_replies(writer.person, token=writer_token.token)
    assert isinstance(closed, RepliesView) and not closed.open and len(closed.lines) == 3
    with pytest.raises(SurveyError) as refused:
        await _send(services, handle, "one more thing")
    assert refused.value.key == "replies.error.closed"
    late = await services.engine.answer_back(writer.person, token=writer_token.token, text="hi")
    assert isinstance(late, Notice)


async def test_foreign_token_cannot_answer_back_or_close(services: Services) -> None:
    _, handles = await _setup(services)
    handle, writer = next(iter(handles.items()))
    await _send(services, handle, "thanks")
    token = (await _view(services, writer)).token
    intruder = Person(platform="console", tenant="local", user_id="intruder")
    answered = await services.engine.answer_back(intruder, token=token, text="not mine")
    assert isinstance(answered, RepliesView) and answered.lines == ()
    await services.engine.close_replies(intruder, token=token)
    view = await _view(services, writer, token)
    assert view.open and [line.text for line in view.lines] == ["thanks"]


async def test_only_quotable_comments_take_replies(services: Services) -> None:
    everyone = await writers(services)
    with pytest.raises(SurveyError) as before:
        await _send(services, "abcdefgh", "too early: nothing was released")
    assert before.value.key == "replies.error.unknown_comment"
    handles = quoted(await released_report(services), everyone)
    for typed in ("zzzzzzzz", "short", next(iter(handles)) + "x"):
        with pytest.raises(SurveyError):
            await _send(services, typed, "hello")
    with pytest.raises(SurveyError) as empty:
        await _send(services, next(iter(handles)), "   ")
    assert empty.value.key == "replies.error.empty"
    with pytest.raises(SurveyError) as long:
        await _send(services, next(iter(handles)), "x" * 2001)
    assert long.value.key == "replies.error.too_long"
    assert (
        await services.replies.threads(platform="console", tenant="local", name=DEFAULT_SURVEY)
        == []
    )
