"""What every use case a person triggers in chat shares: their words, key, tenant and
default survey.

Adapters translate platform events into calls on the use cases built on
:class:`ChatUseCases` and render the views they return; the use cases own the rules
(eligibility, idempotency, validation, admin checks), adapters only the platform.
Each use case is one database transaction, and anything invalid is refused before a
write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.drivers import DriverQuestion
from bot.domain.people import Person
from bot.domain.surveys import DEFAULT_SURVEY
from bot.i18n import Translator
from bot.usecases.context import WaveDeps
from bot.usecases.keys import PersonKeys
from bot.usecases.remembered import RememberedIds
from bot.usecases.tenants import tenant_of
from storage import surveys as survey_store
from storage.models import Survey, Tenant


@dataclass(frozen=True)
class SurveyDefaults:
    """How a tenant's default survey is created the first time someone talks to the bot,
    and how long its reasons are kept."""

    kind: str = "nps"
    subject: str = ""
    reason_retention_months: int = 24
    drivers: tuple[DriverQuestion, ...] = ()


class ChatUseCases:
    """The base of the chat use cases. Construct once in the composition root."""

    def __init__(self, deps: WaveDeps, *, defaults: SurveyDefaults) -> None:
        self._deps = deps
        self._defaults = defaults
        self._keys = PersonKeys(deps.pepper)
        self._ids = RememberedIds()

    def translator(self, person: Person) -> Translator:
        """The words of ``person``'s language (their platform's locale, else the
        configured default), for adapters that word something around a view."""
        return self._deps.translator_for(person.locale)

    def translator_for(self, locale: str | None) -> Translator:
        """The words of ``locale``, for an adapter that has no person to ask for (a
        click from a place the bot does not serve)."""
        return self._deps.translator_for(locale)

    def _privacy_text(self, t: Translator, *, k: int) -> str:
        """How answers (and replies to them) are kept anonymous: ``k`` is the survey's
        smallest group shown."""
        months = self._defaults.reason_retention_months
        return t("privacy.text", k=k, months=months) + "\n" + t("privacy.replies")

    def _key(self, person: Person) -> str:
        return self._keys.respondent(person)

    def _today(self) -> date:
        return self._deps.clock().date()

    async def _tenant(self, session: AsyncSession, person: Person) -> Tenant:
        return await tenant_of(
            session,
            platform=person.platform,
            external_id=person.tenant,
            default_locale=self._deps.default_locale,
            now=self._deps.clock(),
        )

    async def _default_survey(self, session: AsyncSession, person: Person) -> tuple[Tenant, Survey]:
        """The person's tenant and its default survey, both created when missing."""
        tenant = await self._tenant(session, person)
        survey = await survey_store.get_or_create_survey(
            session,
            tenant_id=tenant.id,
            name=DEFAULT_SURVEY,
            kind=self._defaults.kind,
            subject=self._defaults.subject,
            drivers=[driver.to_json() for driver in self._defaults.drivers],
            now=self._deps.clock(),
        )
        return tenant, survey
