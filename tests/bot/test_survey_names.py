"""What may name a survey: characters that show as themselves, trimmed, 1 to 64 (pure)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.surveys import NAME_LIMIT, NameFault, name_fault

CASES = {
    "pulse": None,
    "pulse q3": None,
    "社員　満足度": None,  # the ideographic space a Japanese input method types
    "Café — 2026": None,
    "x" * NAME_LIMIT: None,
    "": NameFault.LENGTH,
    "   ": NameFault.LENGTH,
    "x" * (NAME_LIMIT + 1): NameFault.LENGTH,
    "pulse\nq3": NameFault.CHARACTERS,
    "pulse\tq3": NameFault.CHARACTERS,
    "pul\x00se": NameFault.CHARACTERS,
    "pulse\x1b[31m": NameFault.CHARACTERS,
    "pulse\u202e3q": NameFault.CHARACTERS,
    "pulse\u2066x\u2069": NameFault.CHARACTERS,
    "pul\u200bse": NameFault.CHARACTERS,
    "pulse\ufeff": NameFault.CHARACTERS,
    "pulse\u2028q3": NameFault.CHARACTERS,
    "pulse\u00a0q3": NameFault.CHARACTERS,
    "pulse\ue000": NameFault.CHARACTERS,
    " pulse": NameFault.CHARACTERS,
    "pulse\u3000": NameFault.CHARACTERS,
}


@pytest.mark.parametrize(("name", "fault"), CASES.items(), ids=map(repr, CASES))
def test_names_by_case(name: str, fault: NameFault | None) -> None:
    assert name_fault(name) is fault


@given(
    st.text(min_size=1, max_size=20),
    st.characters(categories=["Cc", "Cf", "Co", "Zl", "Zp"]),
    st.text(min_size=1, max_size=20),
)
def test_a_control_or_format_character_anywhere_is_refused(
    before: str, hidden: str, after: str
) -> None:
    assert name_fault(before + hidden + after) is not None


@given(st.text(st.characters(categories=["L", "N", "P", "S"]), min_size=1, max_size=NAME_LIMIT))
def test_letters_numbers_punctuation_and_symbols_are_names(name: str) -> None:
    assert all(unicodedata.category(ch)[0] in "LNPS" for ch in name)
    assert name_fault(name) is None
