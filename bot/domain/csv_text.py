"""The text of an uploaded CSV file, whatever encoding a spreadsheet saved it in (pure).

Spreadsheets save CSV as UTF-8, UTF-8 with a byte order mark (Excel's "CSV UTF-8"),
UTF-16 (Excel's "Unicode text") or, on Japanese Windows, Shift_JIS. A byte order mark
decides; without one, bytes that are valid UTF-8 are UTF-8, a file whose first
characters have every other byte NUL is UTF-16 of that byte order, and anything else is
tried as Shift_JIS
(Windows code page 932, the superset Excel writes). A file none of them reads is not
guessed further: the caller reports it.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SHIFT_JIS = "cp932"


@dataclass(frozen=True)
class Decoded:
    """The file's text (without a byte order mark) and the encoding it was read with."""

    text: str
    encoding: str


class UnreadableText(ValueError):
    """The bytes are in none of the encodings a CSV file is read in."""


def decode_csv(data: bytes) -> Decoded:
    """The text of ``data`` (see the module docstring); raise :class:`UnreadableText`."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data, encoding)
    candidates = ("utf-8", _utf16_without_bom(data), SHIFT_JIS)
    for encoding in (name for name in candidates if name is not None):
        try:
            return _decode(data, encoding)
        except UnreadableText:
            continue
    raise UnreadableText("not UTF-8, UTF-16 or Shift_JIS text")


def _decode(data: bytes, encoding: str) -> Decoded:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableText(f"not {encoding} text: {error.reason}") from error
    if "\x00" in text:
        raise UnreadableText(f"not {encoding} text: it holds NUL characters")
    return Decoded(text=text.removeprefix("\ufeff"), encoding=encoding)


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the NULs of ASCII text in UTF-16 show the
    byte order: every odd byte, or every even one, of the first eight characters (the
    start of a header row, which is ASCII in practice) is NUL."""
    head = data[:16]
    if len(head) < 16:
        return None
    if all(b == 0 for b in head[1::2]) and any(head[0::2]):
        return "utf-16-le"
    if all(b == 0 for b in head[0::2]) and any(head[1::2]):
        return "utf-16-be"
    return None
