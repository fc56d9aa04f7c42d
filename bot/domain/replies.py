"""Rules of anonymous replies that need no I/O: comment handles, limits, inert text.

A reply thread belongs to an anonymous answer. Admins name the answer by a *comment
handle* shown next to its quote; the respondent reaches it through a sealed reply token
(:class:`bot.domain.identity.ReasonTokens` under a key of its own). See
``docs/design/replies.md``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
import uuid
from dataclasses import dataclass

REPLY_LIMIT = 2000
"""The longest reply or answer-back, in characters (the same as a reason)."""
HANDLE_LENGTH = 8
REPLY_TOKEN_DAYS = 400
"""How long a reply token opens its thread: a little over the frequency window, so a
person asked twice a year can still read replies to an answer after the next ask."""
NOTICE_DAYS = 14
"""How long App Home repeats a periodic notice that new replies exist, from its day."""
_WORD_JOINER = "\u2060"


@dataclass(frozen=True)
class CommentHandles:
    """Short names for quoted comments that reveal neither the answer nor id order.

    A handle is the first 40 bits of HMAC-SHA256(``secret``, survey id ‖ answer id) in
    lower-case base 32: eight characters, the same for one comment in every report, and
    not computable without ``secret`` for a comment one was not shown.
    """

    secret: bytes

    def handle(self, survey_id: uuid.UUID, answer_id: uuid.UUID) -> str:
        digest = hmac.new(self.secret, survey_id.bytes + answer_id.bytes, hashlib.sha256)
        return base64.b32encode(digest.digest()[:5]).decode().lower()


def typed_handle(text: str) -> str | None:
    """A handle as an admin typed it (any case, spaces or a leading ``#`` around it), or
    None when it cannot be one."""
    cleaned = text.strip().lstrip("#").strip().lower()
    alphabet = set("abcdefghijklmnopqrstuvwxyz234567")
    if len(cleaned) != HANDLE_LENGTH or not set(cleaned) <= alphabet:
        return None
    return cleaned


def inert_text(text: str) -> str:
    """``text`` as it may be shown again anywhere: control characters dropped, runs of
    spaces folded, blank lines removed, ``@`` followed by a word joiner (no
    ``@everyone``, no pings) and ``://`` broken (no link), reading the same. Platforms
    escape their own markup on top."""
    lines = []
    for line in text.splitlines():
        visible = "".join(
            " " if char.isspace() else char
            for char in line
            if char.isspace() or unicodedata.category(char)[0] != "C"
        )
        if visible.strip():
            lines.append(" ".join(visible.split()))
    joined = "\n".join(lines)
    return joined.replace("@", "@" + _WORD_JOINER).replace("://", ":" + _WORD_JOINER + "//")
