"""Quotes leave on one line, short, and unable to mention anyone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.report.quotes import WORD_JOINER, neutral_quote


def test_mentions_and_line_breaks_are_neutralised() -> None:
    quoted = neutral_quote("hi @everyone\n\nsee <@U123>\x07 now")
    assert quoted == f"hi @{WORD_JOINER}everyone see <@{WORD_JOINER}U123> now"


def test_long_text_is_cut_with_an_ellipsis() -> None:
    assert neutral_quote("abcdefgh", limit=5) == "abcd…"


@given(st.text(), st.integers(min_value=2, max_value=300))
def test_any_text_is_safe(text: str, limit: int) -> None:
    quoted = neutral_quote(text, limit=limit)
    assert "\n" not in quoted and "\r" not in quoted
    assert len(quoted.replace(WORD_JOINER, "")) <= limit
    assert all(part.startswith(WORD_JOINER) for part in quoted.split("@")[1:])
