"""Formula neutralisation of CSV text cells: a table of cases, then the properties."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.domain.csv_cells import FORMULA_TRIGGERS, QUOTE, inert_row, neutralise, restore

# Text that starts with a trigger, or with quotes and then one, is the interesting part.
_TRIGGERS = sorted(FORMULA_TRIGGERS)
texts = st.one_of(
    st.text(),
    st.builds(
        lambda quotes, trigger, rest: QUOTE * quotes + trigger + rest,
        st.integers(min_value=0, max_value=3),
        st.sampled_from(_TRIGGERS),
        st.text(),
    ),
)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),  # a quote typed before a formula survives the round trip
        ("", ""),
        ("'", "'"),
        ("great team", "great team"),
        ("1 + 1", "1 + 1"),
        ("me@example.com", "me@example.com"),
        ("'quoted'", "'quoted'"),
        ("＝全角", "＝全角"),
    ],
)
def test_cases(text: str, written: str) -> None:
    assert neutralise(text) == written
    assert restore(written) == text


@given(texts)
def test_no_cell_starts_with_a_formula_trigger(text: str) -> None:
    written = neutralise(text)
    assert not written or written[0] not in FORMULA_TRIGGERS


@given(texts)
def test_only_a_quote_is_added_and_taking_it_off_gives_the_text_back(text: str) -> None:
    written = neutralise(text)
    assert written in (text, QUOTE + text)
    assert restore(written) == text


@given(texts)
def test_text_without_a_trigger_is_left_alone(text: str) -> None:
    # OWASP's list, written out again rather than taken from the module under test.
    assume(not text.lstrip("'").startswith(("=", "+", "-", "@", "\t", "\r")))
    assert neutralise(text) == text


@given(
    st.lists(st.one_of(texts, st.integers(min_value=-100, max_value=100), st.none()), max_size=6)
)
def test_a_row_through_the_csv_writer_keeps_numbers_bare_and_text_quoted_and_inert(
    values: list[str | int | None],
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    writer.writerow(inert_row([0, *values]))  # a leading number: the row is never empty
    [row] = csv.reader(io.StringIO(out.getvalue(), newline=""))
    assert len(row) == len(values) + 1
    for value, cell in zip(values, row[1:], strict=True):
        if isinstance(value, int):
            assert cell == str(value)  # -12 stays a number, unquoted
        else:
            assert not cell or cell[0] not in FORMULA_TRIGGERS
            assert restore(cell) == (value or "")
    for value, raw in zip(values, _fields(out.getvalue()), strict=True):
        assert raw.startswith('"') == (not isinstance(value, int))


def _fields(line: str) -> list[str]:
    """The raw fields after the first of one written row, quotes kept."""
    fields, current, quoted = [], "", False
    for character in line.removesuffix("\n"):
        if character == '"':
            quoted = not quoted
        if character == "," and not quoted:
            fields.append(current)
            current = ""
        else:
            current += character
    fields.append(current)
    return fields[1:]


def test_a_bool_is_text_and_none_is_empty() -> None:
    assert inert_row([True, None, 9, -12, 0.5, "=1"]) == ["True", "", 9, -12, 0.5, "'=1"]
