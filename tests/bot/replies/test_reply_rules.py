"""The pure rules of replies: inert text, comment handles and the reply token's key."""

from __future__ import annotations

import uuid
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.people import Person
from bot.domain.replies import HANDLE_LENGTH, CommentHandles, inert_text, typed_handle
from bot.usecases.keys import PersonKeys

WORD_JOINER = "\u2060"


@given(st.text())
def test_inert_text_can_neither_mention_nor_link(text: str) -> None:
    shown = inert_text(text)
    assert "://" not in shown
    for index, char in enumerate(shown):
        if char == "@":
            assert shown[index + 1 : index + 2] == WORD_JOINER
    assert all(line.strip() for line in shown.split("\n")) or shown == ""


@given(st.text(alphabet=st.characters(blacklist_categories=("C",)), min_size=1))
def test_inert_text_reads_the_same(text: str) -> None:
    shown = inert_text(text).replace(WORD_JOINER, "")
    assert " ".join(shown.split()) == " ".join(text.split())


@given(st.uuids(version=4), st.uuids(version=4), st.binary(min_size=32, max_size=32))
def test_handles_are_short_typed_back_and_keyed(
    survey: uuid.UUID, answer: uuid.UUID, secret: bytes
) -> None:
    handle = CommentHandles(secret).handle(survey, answer)
    assert len(handle) == HANDLE_LENGTH and typed_handle(f"  #{handle.upper()} ") == handle
    assert answer.hex[:HANDLE_LENGTH] != handle
    assert CommentHandles(secret + b"!").handle(survey, answer) != handle


def test_typed_handle_refuses_what_cannot_be_one() -> None:
    for typed in ("", "abc", "abcdefghi", "abcdefg1", "abcdefg!", "ａｂｃｄｅｆｇｈ"):
        assert typed_handle(typed) is None


def test_a_reason_token_opens_no_thread_and_a_reply_token_no_reason() -> None:
    keys = PersonKeys(b"p" * 40)
    person = Person(platform="console", tenant="local", user_id="u1")
    key = keys.respondent(person)
    answer, today = uuid.uuid4(), date(2026, 12, 1)
    reason = keys.tokens.issue(response_id=answer, key=key, today=today)
    reply = keys.replies.issue(response_id=answer, key=key, today=today)
    assert keys.replies.verify(reason, key=key, today=today) is None
    assert keys.tokens.verify(reply, key=key, today=today) is None
    assert keys.replies.verify(reply, key=key, today=date(2027, 12, 1)) == answer
    other = keys.respondent(Person(platform="console", tenant="local", user_id="u2"))
    assert keys.replies.verify(reply, key=other, today=today) is None
