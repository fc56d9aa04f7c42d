"""A CSV file's text from its bytes, as each spreadsheet program saves it."""

from __future__ import annotations

import pytest

from bot.domain.csv_text import UnreadableText, decode_text

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
