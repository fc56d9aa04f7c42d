"""The text of a CSV file from its bytes, whichever program saved it (pure).

Excel saves "CSV UTF-8" with a byte order mark, "Unicode text" as UTF-16, and plain
"CSV" in the system's code page: Shift_JIS (cp932) on Japanese Windows, Windows-1252 or
Latin-1 in Western Europe. A byte order mark decides first, then UTF-16 without its
mark (told by the header's NULs), then strict UTF-8, then charset-normalizer's detection
among :data:`CANDIDATES`: left to choose among every code page, it reads a short
Shift_JIS file as Korean and a Latin-1 one as Central European.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from itertools import takewhile
from typing import Literal

from charset_normalizer import from_bytes

_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


CANDIDATES = ("cp932", "euc_jp", "cp1252", "latin_1", "utf_16")
"""The encodings a file from our users' spreadsheets may have without a byte order mark:
Japanese Windows and Unix, Western Windows (a superset of Latin-1's printable
characters), Latin-1, UTF-16 without its mark."""


HEADER_BYTES = 1024
"""How much of a file's start is read for the byte order of UTF-16 without its mark."""


class UnreadableText(ValueError):
    """No text encoding reads these bytes (a spreadsheet's binary format, an image)."""


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the name of the encoding it was read with.

    Raises :class:`UnreadableText` when no encoding reads it as text.
    """
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise UnreadableText(f"not {encoding} text despite its byte order mark") from None
    # Before UTF-8: ASCII in UTF-16 is valid UTF-8 too, with a NUL after every letter.
    bare = _utf16_without_mark(data)
    if bare is not None:
        try:
            return data.decode(bare), bare
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=list(CANDIDATES)).best()
    if best is None:
        raise UnreadableText("not text in any encoding recognised")
    return str(best), best.encoding


def _utf16_without_mark(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the header line says so without a byte order
    mark: at least half its characters are one byte and a NUL in that order, as the
    ASCII of ``date,score`` is, and none is a NUL. Text in any other encoding holds no
    NUL but by accident, so it is never taken for UTF-16."""
    head = data[: HEADER_BYTES - HEADER_BYTES % 2]
    orders: tuple[tuple[Literal["little", "big"], str], ...] = (
        ("little", "utf-16-le"),
        ("big", "utf-16-be"),
    )
    for order, encoding in orders:
        units = [int.from_bytes(head[i : i + 2], order) for i in range(0, len(head) - 1, 2)]
        header = list(takewhile(lambda unit: unit != ord("\n"), units))
        narrow = sum(1 for unit in header if unit < 0x100)
        if len(header) >= 2 and 0 not in header and 2 * narrow >= len(header):
            return encoding
    return None


_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def lines_of(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, ended by ``\\n``, ``\\r`` or ``\\r\\n``,
    as ``io.StringIO(text, newline="")`` yields them for the csv module: one line at a
    time, where a StringIO first copies the whole text at four bytes a character."""
    return (match.group() for match in _LINE.finditer(text))
