"""Sealing tokens at rest with Fernet, under ``TOKEN_ENCRYPTION_KEY``."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from bot.runtime.context import ConfigurationError

KEY_HELP = (
    "generate one with: python -c 'from cryptography.fernet import Fernet; "
    "print(Fernet.generate_key().decode())'"
)


class TokenSealer:
    """Encrypts and authenticates tokens; only the holder of the key can read them back.

    Every sealing draws a fresh IV, so one token sealed twice gives two different
    ciphertexts: compare tokens only after opening them.
    """

    def __init__(self, key: str | None) -> None:
        """Raises `ConfigurationError` (naming the setting) when ``key`` is missing or is
        not a Fernet key (32 bytes, URL-safe base64)."""
        if not key:
            raise ConfigurationError(
                f"TOKEN_ENCRYPTION_KEY is required when SLACK_CLIENT_ID is set; {KEY_HELP}"
            )
        try:
            self._fernet = Fernet(key.encode())
        except (ValueError, TypeError) as error:
            raise ConfigurationError(
                f"TOKEN_ENCRYPTION_KEY is not a valid Fernet key; {KEY_HELP}"
            ) from error

    def seal(self, token: str | None) -> str | None:
        return None if token is None else self._fernet.encrypt(token.encode()).decode()

    def open(self, sealed: str | None) -> str | None:
        """The token; raises `cryptography.fernet.InvalidToken` for a value sealed under
        another key or altered."""
        return None if sealed is None else self._fernet.decrypt(sealed.encode()).decode()


__all__ = ["InvalidToken", "TokenSealer"]
