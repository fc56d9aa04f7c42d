"""Making text safe to show in Slack.

Respondent text (reasons, later quoted in reports) must never mention a channel or a
person, nor smuggle a link. The renderer puts such text in ``plain_text`` objects, which
Slack never parses; these helpers cover what must stay ``mrkdwn`` (section titles) and
the notification fallback ``text`` of a message.
"""

from __future__ import annotations

# The three characters Slack asks apps to escape: they open and close mentions
# (<!channel>, <@U…>, <#C…>) and links (<url|text>).
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

# Formatting markers are swapped for look-alikes: Slack has no escape for them, and
# zero-width spaces can *create* word boundaries that switch formatting on.
_MARKERS = {"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"}

# A word joiner after "@" and "#" keeps bare "@here" or "#channel" from being parsed
# as a mention or linked as a channel name, without changing what people read.
_WORD_JOINER = "\u2060"

_TABLE = str.maketrans(
    {
        **_ENTITIES,
        **_MARKERS,
        "@": "@" + _WORD_JOINER,
        "#": "#" + _WORD_JOINER,
    }
)


def mrkdwn(text: str) -> str:
    """``text`` as mrkdwn that reads the same but can neither ping, link nor format."""
    return text.translate(_TABLE)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters (with an ellipsis) so Block Kit accepts it."""
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…"
