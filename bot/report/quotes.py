"""Respondents' words made safe to show again, whatever the output.

A quote is shown to admins in chat, in a terminal and in JSON. Whatever the platform
escapes later, a quote leaves here on one line, without control characters, within a
length limit, and unable to mention anyone: an ``@`` is followed by a word joiner
(U+2060), which breaks ``@everyone``/``@here`` and user mentions on every platform
while reading the same.
"""

from __future__ import annotations

import unicodedata

QUOTE_LIMIT = 280
WORD_JOINER = "\u2060"


def neutral_quote(text: str, *, limit: int = QUOTE_LIMIT) -> str:
    """``text`` on one line, control characters dropped, mentions broken, at most
    ``limit`` characters (an ellipsis marks a cut). Raise ``ValueError`` if ``limit < 2``."""
    if limit < 2:
        raise ValueError(f"limit must be at least 2, got {limit!r}")
    visible = "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or unicodedata.category(char)[0] != "C"
    )
    line = " ".join(visible.split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line.replace("@", "@" + WORD_JOINER)
