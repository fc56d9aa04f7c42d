"""The keys a conversation recognises people and their answers by, from one pepper."""

from __future__ import annotations

import hashlib
import hmac

from bot.domain.identity import ReasonTokens, respondent_key
from bot.domain.people import Person


class PersonKeys:
    """Respondent keys and reason tokens. Each purpose gets its own key derived from the
    pepper, so the pepper itself is never used for two things."""

    def __init__(self, pepper: bytes) -> None:
        self._pepper = pepper
        self.tokens = ReasonTokens(secret=derive_key(pepper, purpose=b"reason-token"))

    def respondent(self, person: Person) -> str:
        """The person's respondent key (see :func:`bot.domain.identity.respondent_key`)."""
        return respondent_key(self._pepper, person)


def derive_key(pepper: bytes, *, purpose: bytes) -> bytes:
    """A key for one purpose: HMAC-SHA256(pepper, purpose)."""
    return hmac.new(pepper, purpose, hashlib.sha256).digest()
