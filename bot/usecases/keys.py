"""The keys a conversation recognises people and their answers by, from one pepper."""

from __future__ import annotations

import hmac
import uuid

from bot.domain.identity import ReasonTokens, respondent_key
from bot.domain.people import Person
from bot.domain.replies import REPLY_TOKEN_DAYS, CommentHandles


class PersonKeys:
    """Respondent keys, reason and reply tokens, comment handles and answer claims.
    Each purpose gets its own key derived from the pepper, so the pepper itself is never
    used for two things."""

    def __init__(self, pepper: bytes) -> None:
        self._pepper = pepper
        self.tokens = ReasonTokens(secret=derive_key(pepper, purpose=b"reason-token"))
        self._claims = derive_key(pepper, purpose=b"answer-claim")
        # The reply token names the answer like the reason token, for longer, and under
        # a key of its own: a reason token never opens a thread, nor the reverse.
        self.replies = ReasonTokens(
            secret=derive_key(pepper, purpose=b"reply-token"), valid_days=REPLY_TOKEN_DAYS
        )
        self.handles = CommentHandles(derive_key(pepper, purpose=b"comment-handle"))

    def respondent(self, person: Person) -> str:
        """The person's respondent key (see :func:`bot.domain.identity.respondent_key`)."""
        return respondent_key(self._pepper, person)

    def claim(self, contact_id: uuid.UUID) -> str:
        """The digest that names an ask's claim (see :mod:`storage.claims`): an HMAC of
        the ask's id under a key of its own, so the database cannot tell which ask a
        claim is for, and the bot finds it again from the ask."""
        return hmac.digest(self._claims, contact_id.bytes, "sha256").hex()


def derive_key(pepper: bytes, *, purpose: bytes) -> bytes:
    """A key for one purpose: HMAC-SHA256(pepper, purpose)."""
    return hmac.digest(pepper, purpose, "sha256")
