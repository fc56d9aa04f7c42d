"""Keys that let the bot recognise a person again without storing who they are."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from bot.people import Person


def respondent_key(pepper: bytes, person: Person) -> str:
    """HMAC-SHA256(pepper, "platform:tenant:user_id") as hex: stable, not reversible."""
    message = f"{person.platform}:{person.tenant}:{person.user_id}".encode()
    return hmac.new(pepper, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ReasonTokens:
    """Signed tokens that let one person attach a reason to the answer they just gave.

    A token names the answer and the last day it may be used. It is bound to the
    person by its signature (computed over their respondent key, which the token does
    not contain), so a token copied to someone else, altered or expired is refused.
    """

    secret: bytes
    valid_days: int = 14

    def issue(self, *, response_id: uuid.UUID, key: str, today: date) -> str:
        expires = today + timedelta(days=self.valid_days)
        body = f"{response_id.hex}.{expires.isoformat()}"
        return f"{body}.{self._sign(body, key)}"

    def verify(self, token: str, *, key: str, today: date) -> uuid.UUID | None:
        """The answer's id if the token is genuine, this person's and unexpired; else None."""
        parts = token.split(".")
        if len(parts) != 3:
            return None
        response_hex, expires_text, signature = parts
        body = f"{response_hex}.{expires_text}"
        if not hmac.compare_digest(signature, self._sign(body, key)):
            return None
        try:
            expires = date.fromisoformat(expires_text)
            response_id = uuid.UUID(hex=response_hex)
        except ValueError:
            return None
        return response_id if today <= expires else None

    def _sign(self, body: str, key: str) -> str:
        digest = hmac.new(self.secret, f"{body}|{key}".encode(), hashlib.sha256)
        return digest.hexdigest()[:32]
