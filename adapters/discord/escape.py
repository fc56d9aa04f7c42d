"""Make text someone typed safe to show again in a Discord message.

Respondent text (reasons, themes quoted in reports) must never ping, format or link when
the bot shows it. ``allowed_mentions`` already stops pings at delivery; escaping keeps the
text itself inert too, so it stays harmless when quoted, copied or forwarded.
"""

from __future__ import annotations

import re

from discord.utils import escape_mentions

# Invisible characters that break Discord's parsing without changing what people read.
_ZERO_WIDTH_SPACE = "\u200b"
_WORD_JOINER = "\u2060"

# Every character Discord's markdown gives a meaning to. A backslash makes any of them
# literal; ``discord.utils.escape_markdown`` is not used because it skips whatever sits
# inside a link-shaped span ("[x](…)**bold**…"), which is exactly what an attacker writes.
_MARKDOWN = re.compile(r"([\\*_~`|>#\-\[\]()])")
# Angle-bracket syntax: user/role/channel mentions, slash-command mentions, timestamps.
_ANGLE = re.compile(r"<(?=[@#/:a])")


def escape_text(text: str) -> str:
    """``text`` as plain characters: no markdown, mention, angle syntax or clickable link.

    The result reads the same as the input; only invisible characters and markdown
    backslashes are added.
    """
    escaped = escape_mentions(_MARKDOWN.sub(r"\\\1", text))
    escaped = _ANGLE.sub("<" + _ZERO_WIDTH_SPACE, escaped)
    # "scheme://" is what makes Discord turn text into a link.
    return escaped.replace("://", ":" + _WORD_JOINER + "//")
