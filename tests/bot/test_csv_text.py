"""A CSV file's text from its bytes, as each spreadsheet program saves it."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.csv_text import UnreadableText, decode_text, lines_of

JAPANESE = (
    "date,score,reason,team\n2026-03-01,9,とても良い職場です,開発\n2026-03-02,3,会議が多い,営業\n"
)
WESTERN = (
    "date,score,reason,team\n2026-03-01,9,très bien,Zürich\n2026-03-02,3,trop de réunions,Genève\n"
)


@pytest.mark.parametrize(
    ("text", "encoding", "read_as"),
    [
        (JAPANESE, "shift_jis", "cp932"),
        (JAPANESE, "cp932", "cp932"),
        (JAPANESE, "euc_jp", "euc_jp"),
        (JAPANESE, "utf-8", "utf-8"),
        (JAPANESE, "utf-8-sig", "utf-8-sig"),
        (JAPANESE.replace(",", "\t"), "utf-16", "utf-16"),
        (WESTERN, "latin-1", "cp1252"),
        (WESTERN, "cp1252", "cp1252"),
        (WESTERN, "utf-8-sig", "utf-8-sig"),
    ],
)
def test_each_encoding_a_spreadsheet_saves_is_read(text: str, encoding: str, read_as: str) -> None:
    assert decode_text(text.encode(encoding)) == (text, read_as)


def test_a_byte_order_mark_is_not_part_of_the_text() -> None:
    text, _ = decode_text("date,score\n".encode("utf-8-sig"))
    assert text.startswith("date")


def test_bytes_that_are_no_text_are_refused() -> None:
    with pytest.raises(UnreadableText):
        decode_text(b"\xff\xfe\x00\xd8")  # a UTF-16 mark, then half a surrogate pair


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    [
        "date,score,reason\n2026-03-01,9,ok\n",  # every character ASCII: valid UTF-8 too
        "date,score,reason\n2026-03-01,7,よい\n",  # non-ASCII within the first bytes
        "date,score,部署\n2026-03-01,7,開発\n",  # a Japanese label name in the header
    ],
)
def test_utf_16_without_its_mark_is_read_by_its_header(text: str, encoding: str) -> None:
    assert decode_text(text.encode(encoding)) == (text, encoding)


def test_a_few_nuls_in_utf_8_leave_it_utf_8() -> None:
    data = b"date,score,reason\n2026-03-01,7,a\x00b\n"
    assert decode_text(data) == (data.decode(), "utf-8")


@given(st.text(alphabet=st.sampled_from('ab,"\r\n\u2028\x0b\x1c\u0085')))
def test_lines_are_those_a_stringio_gives_the_csv_module(text: str) -> None:
    """Only ``\\n``, ``\\r`` and ``\\r\\n`` end a line, as with ``newline=""``; the other
    line breaks Python knows stay inside the line, for the csv module to read."""
    assert list(lines_of(text)) == list(io.StringIO(text, newline=""))
