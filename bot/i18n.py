"""Words in the user's language, from gettext catalogs (``bot/locales/<lang>/*.po``).

Message ids are stable keys (``score.question``); English and Japanese catalogs give the
words. Each ``.po`` file is one domain (core, report, …); all domains of a language are
merged when loaded. Placeholders use ``str.format`` names (``{date}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).with_name("locales")
SUPPORTED = ("en", "ja")


def normalize_locale(raw: str | None, *, fallback: str) -> str:
    """Map a platform locale (``ja-JP``, ``ja_JP``, ``en-US``, ``ja``) to a supported one."""
    if raw:
        language = raw.replace("_", "-").split("-")[0].lower()
        if language in SUPPORTED:
            return language
    return fallback if fallback in SUPPORTED else SUPPORTED[0]


def load_catalog(language: str, *, directory: Path = LOCALES_DIR) -> dict[str, str]:
    """Read every ``.po`` file of one language into one key -> text mapping."""
    messages: dict[str, str] = {}
    for path in sorted((directory / language).glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if message.id and isinstance(message.id, str) and isinstance(message.string, str):
                if message.id in messages:
                    raise ValueError(f"message {message.id!r} is defined twice for {language}")
                messages[message.id] = message.string
    return messages


@dataclass(frozen=True)
class Translator:
    """The words of one language, with English as the fallback for a missing key."""

    language: str
    messages: Mapping[str, str]
    fallback: Mapping[str, str]

    def __call__(self, key: str, /, **values: object) -> str:
        template = self.messages.get(key) or self.fallback.get(key)
        if template is None:
            raise KeyError(f"no message {key!r} in any catalog")
        return template.format(**values) if values else template

    def date(self, day: date) -> str:
        """A date written the way this language writes it (e.g. 'April 22, 2027')."""
        return format_date(day, format="long", locale=Locale.parse(self.language))


class Catalogs:
    """All languages, loaded once at start-up and shared read-only."""

    def __init__(self, *, directory: Path = LOCALES_DIR) -> None:
        self._messages = {
            language: load_catalog(language, directory=directory) for language in SUPPORTED
        }

    def translator(self, language: str) -> Translator:
        language = normalize_locale(language, fallback="en")
        return Translator(language, self._messages[language], self._messages["en"])

    def keys(self, language: str) -> frozenset[str]:
        return frozenset(self._messages[language])
