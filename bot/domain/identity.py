"""Keys that let the bot recognise a person again without storing who they are."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.domain.people import Person

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def respondent_key(pepper: bytes, person: Person) -> str:
    """HMAC-SHA256(pepper, "platform:tenant:user_id") as hex: stable, not reversible."""
    message = f"{person.platform}:{person.tenant}:{person.user_id}".encode()
    # The one-shot digest: the same bytes as ``hmac.new``, without building an HMAC object
    # (twice on every answer).
    return hmac.digest(pepper, message, "sha256").hex()


@dataclass(frozen=True)
class ReasonTokens:
    """Opaque tokens that let one person attach a reason to the answer they just gave.

    A token is the answer's id and the last day it may be used, encrypted and
    authenticated with AES-GCM under ``secret``; the person's respondent key is the
    associated data. So a token reveals nothing (not even which answer it names), and a
    token copied to someone else, altered or expired is refused. 62 URL-safe characters,
    short enough for a Discord custom id.
    """

    secret: bytes
    valid_days: int = 14

    def issue(self, *, response_id: uuid.UUID, key: str, today: date) -> str:
        expires = (today + timedelta(days=self.valid_days)) - _EPOCH
        plain = response_id.bytes + expires.days.to_bytes(2, "big")
        nonce = os.urandom(12)
        sealed = self._cipher.encrypt(nonce, plain, key.encode())
        return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")

    def verify(self, token: str, *, key: str, today: date) -> uuid.UUID | None:
        """The answer's id if the token is genuine, this person's and unexpired; else None."""
        from cryptography.exceptions import InvalidTag

        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            plain = self._cipher.decrypt(raw[:12], raw[12:], key.encode())
        except (ValueError, InvalidTag):
            return None
        if len(plain) != 18:
            return None
        expires = _EPOCH + timedelta(days=int.from_bytes(plain[16:], "big"))
        return uuid.UUID(bytes=plain[:16]) if today <= expires else None

    @functools.cached_property
    def _cipher(self) -> AESGCM:
        """The AES-GCM cipher under the token key, built by the first token: it is the
        same for every token, and cryptography is loaded then, not when the process
        starts."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        return AESGCM(hashlib.sha256(b"reason-token-aes|" + self.secret).digest())


_EPOCH = date(2020, 1, 1)
