"""What every wave use case needs: the database, words, reports, pepper and clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.domain.policy import FrequencyPolicy
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
    """Long-lived collaborators of the wave use cases; built once from the services."""

    database: Database
    catalogs: Catalogs
    reports: Reports
    pepper: bytes
    clock: Callable[[], datetime]
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
            claim_lease=timedelta(seconds=services.settings.delivery_lease_seconds),
        )

    def translator(self, locale: str | None, survey: Survey) -> Translator:
        """Words in ``locale``, or in the survey's language when it is missing."""
        return self.catalogs.translator(normalize_locale(locale, fallback=survey.locale))


def policy_of(survey: Survey) -> FrequencyPolicy:
    """The survey's frequency cap."""
    return FrequencyPolicy(
        max_asks=survey.cap_max_asks,
        window_days=survey.cap_window_days,
        min_gap_days=survey.cap_min_gap_days,
    )
