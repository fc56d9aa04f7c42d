"""What every use case needs: the database, words, reports, pepper, clock and defaults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.i18n import Catalogs, Translator, normalize_locale
from bot.runtime.pepper import resolve_pepper
from bot.runtime.settings import DEFAULT_CLAIM_LEASE_SECONDS
from bot.usecases.reports import Reports
from storage.database import Database
from storage.models import Survey

if TYPE_CHECKING:
    # Only for a type hint: the composition root imports the wave use cases.
    from bot.runtime.services import Services


@dataclass(frozen=True)
class WaveDeps:
    """Long-lived collaborators of the use cases; built once from the services."""

    database: Database
    catalogs: Catalogs
    reports: Reports
    pepper: bytes
    clock: Callable[[], datetime]
    default_locale: str
    """The configured ``DEFAULT_LOCALE``: the language of a person whose platform gives
    none (or one without a catalog), and the locale a tenant is stored with."""
    claim_lease: timedelta = timedelta(seconds=DEFAULT_CLAIM_LEASE_SECONDS)
    """How old a ``sending`` claim must be before it counts as left by a stopped sender."""

    @classmethod
    def from_services(cls, services: Services) -> WaveDeps:
        pepper, _ = resolve_pepper(services.settings)
        return cls(
            database=services.database,
            catalogs=services.catalogs,
            reports=services.reports,
            pepper=pepper,
            clock=services.clock,
            default_locale=services.settings.default_locale,
            claim_lease=timedelta(seconds=services.settings.delivery_lease_seconds),
        )

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
