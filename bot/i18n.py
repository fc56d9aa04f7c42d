"""Words in the user's language, from gettext catalogs (``bot/locales/<lang>/*.po``).

Message ids are stable keys (``score.question``); English and Japanese catalogs give the
words. Each ``.po`` file is one domain (core, report, …); all domains of a language are
merged when loaded. Placeholders use ``str.format`` names (``{date}``).

A word that depends on a number ("1 answer", "2 answers") is one message with
``msgid_plural`` and a form per plural of its language (``Plural-Forms``; Japanese has
one): :meth:`Translator.plural` picks it with gettext's ``ngettext``.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
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
    return read_language(language, directory=directory)[0]


def read_language(
    language: str, *, directory: Path = LOCALES_DIR
) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Every ``.po`` file of one language, each parsed once: its messages (key -> text)
    and its messages with plural forms (key -> forms, in the order of the language's
    ``Plural-Forms``). A key defined twice in either raises ``ValueError``."""
    messages: dict[str, str] = {}
    forms: dict[str, tuple[str, ...]] = {}
    for path in sorted((directory / language).glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if message.id and isinstance(message.id, str) and isinstance(message.string, str):
                if message.id in messages:
                    raise ValueError(f"message {message.id!r} is defined twice for {language}")
                messages[message.id] = message.string
            elif isinstance(message.id, tuple) and isinstance(message.string, tuple):
                key = message.id[0]
                if key in forms:
                    raise ValueError(f"message {key!r} is defined twice for {language}")
                forms[key] = tuple(message.string)[: catalog.num_plurals]
    return messages, forms


def compile_plurals(language: str, forms: Mapping[str, tuple[str, ...]]) -> gettext.GNUTranslations:
    """``forms`` as gettext's ``ngettext`` reads them, with the language's plural rule."""
    merged = Catalog(locale=language)
    for key, texts in forms.items():
        merged.add((key, key), texts)
    compiled = io.BytesIO()
    write_mo(compiled, merged)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@dataclass(frozen=True)
class Translator:
    """The words of one language, with English as the fallback for a missing key."""

    language: str
    messages: Mapping[str, str]
    fallback: Mapping[str, str]
    plurals: gettext.NullTranslations = field(default_factory=gettext.NullTranslations)
    """Messages with plural forms; falls back to English's as well."""

    def __call__(self, key: str, /, **values: object) -> str:
        template = self.messages.get(key) or self.fallback.get(key)
        if template is None:
            raise KeyError(f"no message {key!r} in any catalog")
        return template.format(**values) if values else template

    def plural(self, key: str, count: int, /, **values: object) -> str:
        """The form of ``key`` for ``count`` (also passed to the text as ``{count}``)."""
        template = self.plurals.ngettext(key, key, count)
        if template == key:
            raise KeyError(f"no plural message {key!r} in any catalog")
        return template.format(count=count, **values)

    def date(self, day: date) -> str:
        """A date written the way this language writes it (e.g. 'April 22, 2027')."""
        return format_date(day, format="long", locale=Locale.parse(self.language))


class Catalogs:
    """All languages, loaded once at start-up and shared read-only."""

    def __init__(self, *, directory: Path = LOCALES_DIR) -> None:
        read = {language: read_language(language, directory=directory) for language in SUPPORTED}
        self._messages = {language: messages for language, (messages, _) in read.items()}
        self._forms = {language: forms for language, (_, forms) in read.items()}
        self._plurals = {
            language: compile_plurals(language, self._forms[language]) for language in SUPPORTED
        }
        for language, plurals in self._plurals.items():
            if language != "en":
                plurals.add_fallback(self._plurals["en"])

    def translator(self, language: str) -> Translator:
        language = normalize_locale(language, fallback="en")
        return Translator(
            language, self._messages[language], self._messages["en"], self._plurals[language]
        )

    def keys(self, language: str) -> frozenset[str]:
        return frozenset(self._messages[language])

    def plural_forms(self, language: str) -> Mapping[str, tuple[str, ...]]:
        """Each message of ``language`` with plural forms, and those forms."""
        return self._forms[language]
