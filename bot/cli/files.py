"""The text of a CSV file an operator names, or one line saying why it cannot be read.

``nps-bot import`` and ``nps-bot people import`` read their files here, so a folder, a
missing file or a spreadsheet's binary format is refused in the same words by both.
"""

from __future__ import annotations

from pathlib import Path

from bot.domain.csv_text import UnreadableText, decode_text


class UnreadableFile(ValueError):
    """The file cannot be read, or holds no text; the message says which, in one line."""


def csv_text(file: Path) -> str:
    """The text of ``file`` in whichever encoding a spreadsheet saved it
    (:mod:`bot.domain.csv_text`); raise :class:`UnreadableFile` if there is none."""
    try:
        data = file.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"cannot read {file}: {error.strerror or error}") from None
    try:
        text, _encoding = decode_text(data)
    except UnreadableText as error:
        raise UnreadableFile(
            f"cannot read {file}: {error}; save it as CSV (UTF-8) and import it again"
        ) from None
    return text
