"""What every wave use case needs: the database, words, reports, pepper and clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.policy import FrequencyPolicy
from bot.i18n import Catalogs, Translator, normalize_locale
from bot.usecases.reports import Reports
from storage.database import Database
from storage.models import Survey


@dataclass(frozen=True)
class WaveDeps:
    """Long-lived collaborators of the wave use cases; built once by the composition root."""

    database: Database
    catalogs: Catalogs
    reports: Reports
    pepper: bytes
    clock: Callable[[], datetime]
    claim_lease: timedelta
    """How old a ``sending`` claim must be before it counts as left by a stopped sender."""

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
