"""What every use case needs: the database, words, reports, pepper, clock and defaults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.domain.leases import DEFAULT_SEND_TIMEOUT_SECONDS
from bot.i18n import Catalogs, Translator, normalize_locale
from storage.database import Database
from storage.models import Survey

if TYPE_CHECKING:
    from bot.usecases.reports import Reports


@dataclass(frozen=True)
class WaveDeps:
    """Long-lived collaborators of the use cases; built once by the composition root."""

    database: Database
    catalogs: Catalogs
    reports: Reports
    pepper: bytes
    clock: Callable[[], datetime]
    default_locale: str
    """The configured ``DEFAULT_LOCALE``: the language of a person whose platform gives
    none (or one without a catalog), and the locale a tenant is stored with."""
    claim_lease: timedelta
    """How old a ``sending`` claim must be before it counts as left by a stopped sender."""
    send_timeout: timedelta = timedelta(seconds=DEFAULT_SEND_TIMEOUT_SECONDS)
    """How long one send may take before it is given up (``SEND_TIMEOUT_SECONDS``),
    shortened to fit a short lease (:func:`bot.domain.leases.send_limit`)."""

    def translator_for(self, locale: str | None) -> Translator:
        """The words of someone talking to the bot in ``locale``: the one place that picks
        them, falling back to the configured default language."""
        return self.catalogs.translator(normalize_locale(locale, fallback=self.default_locale))

    def survey_translator(self, locale: str | None, survey: Survey) -> Translator:
        """The words of someone a survey reaches out to: ``locale``, else the survey's."""
        return self.catalogs.translator(recipient_locale(locale, survey))


def recipient_locale(locale: str | None, survey: Survey) -> str:
    """The language a survey's message to someone is written in: theirs when the bot has
    a catalog for it, else the survey's own."""
    return normalize_locale(locale, fallback=survey.locale)
