"""Which tokenizer reads a reason: chosen from the text's own script, never from a label
of its writer. A table of texts, then a property against the Unicode character names."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.stats.terms import Tokenizers, is_japanese


@pytest.mark.parametrize(
    ("text", "japanese"),
    [
        ("The canteen is awful", False),
        ("食堂がひどい", True),  # kanji and hiragana
        ("ひらがな", True),
        ("カタカナ", True),
        ("ｶﾀｶﾅ", True),  # halfwidth katakana
        ("漢字", True),
        ("Zoomが遅い", True),  # a product name in Latin letters inside Japanese
        ("Too many meetings 会議", True),  # one kanji is enough
        ("café, naïve, Straße", False),
        ("한국어", False),  # Hangul is not Japanese script
        ("ＡＢＣ１２３", False),  # fullwidth Latin letters and digits
        ("。、「」", False),  # Japanese punctuation alone says nothing
        ("", False),
        ("   ", False),
    ],
)
def test_is_japanese(text: str, japanese: bool) -> None:
    assert is_japanese(text) is japanese


def test_terms_take_the_tokenizer_of_the_script() -> None:
    tokenizers = Tokenizers(japanese=lambda text: ("ja",), english=lambda text: ("en",))
    assert tokenizers.terms("料金が高い") == ("ja",)
    assert tokenizers.terms("Price is high") == ("en",)
    assert tokenizers.terms("") == ("en",)


_JAPANESE_NAMES = (
    "HIRAGANA",
    "KATAKANA",
    "HALFWIDTH KATAKANA",
    "COMBINING KATAKANA-HIRAGANA",
    "CJK UNIFIED IDEOGRAPH",
    "CJK COMPATIBILITY IDEOGRAPH",
)


def named_japanese(character: str) -> bool:
    """An independent reading of the rule: the character's Unicode name says it is kana
    or a CJK ideograph."""
    return unicodedata.name(character, "").startswith(_JAPANESE_NAMES)


assigned = st.characters(exclude_categories=("Cn", "Cs"))
near_japanese = st.characters(min_codepoint=0x3000, max_codepoint=0xA000).filter(
    lambda character: unicodedata.category(character) != "Cn"
)


@settings(max_examples=500, deadline=None)
@given(text=st.text(assigned | near_japanese, max_size=12))
def test_japanese_is_any_kana_or_ideograph_by_its_unicode_name(text: str) -> None:
    assert is_japanese(text) is any(named_japanese(character) for character in text)
