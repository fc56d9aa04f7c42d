"""Survey administration from chat: the use cases every platform shares.

An admin manages the surveys of their own tenant only: every call takes the
:class:`~bot.domain.people.Person` asking, and the tenant is *their* platform and
workspace/guild id, never one named in the request. Each call first checks that the
person is an admin (the platform's verdict on :attr:`Person.is_admin`), so an adapter
that forgets its own check still refuses. Every answer is a translated view; a refused
request stores nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.people import Person
from bot.i18n import Translator, normalize_locale
from bot.ports.reach import Reach
from bot.usecases.context import WaveDeps
from bot.usecases.surveys import (
    SurveyError,
    SurveySpec,
    close_survey,
    create_survey,
    edit_survey,
    remove_survey,
    start_survey,
    survey_status,
    unknown_survey,
)
from bot.views.admin import AdminView, DeleteConfirmation, FormErrors, Setting
from bot.views.common import Notice, Tone
from bot.views.survey_form import settings_from, survey_form
from bot.views.survey_status import status_view, survey_list
from storage import surveys as survey_store
from storage import tenants
from storage.models import Tenant
from storage.surveys import tenant_surveys

log = logging.getLogger(__name__)


class SurveyAdmin:
    """Survey create/edit/list/status/start/close/delete for admins, in their language.

    Construct once in the composition root. ``default_locale`` is the language for a
    person whose platform gave none.
    """

    def __init__(self, deps: WaveDeps, *, default_locale: str) -> None:
        self._deps = deps
        self._default_locale = default_locale

    # -- reading -----------------------------------------------------------------------

    async def list(self, person: Person) -> AdminView:
        """This tenant's surveys with state, kind, k and answers (a report-like view)."""

        async def work(t: Translator) -> AdminView:
            async with self._deps.database.transaction() as session:
                rows = await tenant_surveys(
                    session, platform=person.platform, external_id=person.tenant
                )
            return survey_list(t, rows)

        return await self._as_admin(person, work)

    async def status(self, person: Person, name: str) -> AdminView:
        """One survey's settings, answers and newest wave."""

        async def work(t: Translator) -> AdminView:
            found = await survey_status(
                self._deps.database,
                platform=person.platform,
                tenant=person.tenant,
                name=name,
                now=self._deps.clock(),
            )
            return status_view(t, found)

        return await self._as_admin(person, work)

    async def form(self, person: Person, name: str | None = None) -> AdminView:
        """The blank create form, or (with ``name``) the edit form prefilled."""

        async def work(t: Translator) -> AdminView:
            if name is None:
                return survey_form(t, platform=person.platform, locale=t.language)
            async with self._deps.database.transaction() as session:
                tenant = await self._tenant(session, person)
                survey = await survey_store.find_survey_by_name(
                    session, tenant_id=tenant.id, name=name
                )
            if survey is None:
                raise unknown_survey(name)
            return survey_form(t, platform=person.platform, survey=survey)

        return await self._as_admin(person, work)

    # -- changing ----------------------------------------------------------------------

    async def create(self, person: Person, values: Mapping[Setting, object]) -> AdminView:
        """Create a survey from a form's ``values``; :class:`FormErrors` when refused."""

        async def work(t: Translator) -> AdminView:
            settings = settings_from(values, platform=person.platform)
            spec = SurveySpec(**settings)
            await create_survey(
                self._deps.database,
                platform=person.platform,
                tenant=person.tenant,
                spec=spec,
                now=self._deps.clock(),
            )
            return Notice(t("admin.created", name=spec.name), Tone.SUCCESS)

        return await self._as_admin(person, work)

    async def edit(self, person: Person, name: str, values: Mapping[Setting, object]) -> AdminView:
        """Change the settings present in ``values``; lowering k after answers is refused."""

        async def work(t: Translator) -> AdminView:
            changes = settings_from(values, platform=person.platform)
            await edit_survey(
                self._deps.database,
                platform=person.platform,
                tenant=person.tenant,
                name=name,
                changes=changes,
                now=self._deps.clock(),
            )
            return Notice(t("admin.updated", name=name), Tone.SUCCESS)

        return await self._as_admin(person, work)

    async def start(self, person: Person, reach: Reach, name: str) -> AdminView:
        """Open a wave now through ``reach`` (which must speak for the person's tenant)."""

        async def work(t: Translator) -> AdminView:
            self._check_reach(person, reach)
            opened, report = await start_survey(self._deps, reach, name=name)
            return Notice(
                t("admin.started", name=name, invited=opened.invited, sent=report.sent),
                Tone.SUCCESS,
            )

        return await self._as_admin(person, work, reaching=True)

    async def close(self, person: Person, reach: Reach, name: str) -> AdminView:
        """Close the survey's open waves now (their messages say so, digests post)."""

        async def work(t: Translator) -> AdminView:
            self._check_reach(person, reach)
            closed = await close_survey(self._deps, reach, name=name)
            return Notice(t("admin.closed", name=name, waves=closed), Tone.SUCCESS)

        return await self._as_admin(person, work, reaching=True)

    async def confirm_delete(self, person: Person, name: str) -> AdminView:
        """The question to ask before :meth:`delete` (the survey must exist)."""

        async def work(t: Translator) -> AdminView:
            async with self._deps.database.transaction() as session:
                tenant = await self._tenant(session, person)
                if await survey_store.find_survey_by_name(session, tenant_id=tenant.id, name=name):
                    return DeleteConfirmation(
                        survey=name,
                        title=t("admin.delete.title"),
                        question=t("admin.delete.question", name=name),
                        confirm_label=t("admin.delete.confirm"),
                        cancel_label=t("admin.delete.cancel"),
                        typed=t("admin.delete.typed", name=name),
                    )
            raise unknown_survey(name)

        return await self._as_admin(person, work)

    async def delete(self, person: Person, name: str) -> AdminView:
        """Delete the survey and everything under it, in one transaction."""

        async def work(t: Translator) -> AdminView:
            deleted = await remove_survey(
                self._deps.database,
                platform=person.platform,
                tenant=person.tenant,
                name=name,
                now=self._deps.clock(),
            )
            return Notice(t("admin.deleted", name=name, answers=deleted.responses), Tone.SUCCESS)

        return await self._as_admin(person, work)

    def not_allowed(self, person: Person) -> Notice:
        """The refusal for someone who is not an admin (for a platform's own check)."""
        return Notice(self.translator(person)("admin.not_allowed"), Tone.WARNING)

    def kept(self, person: Person, name: str) -> Notice:
        """What to say when the admin answered "keep it" to the delete question."""
        return Notice(self.translator(person)("admin.delete.cancelled", name=name))

    def usage(self, person: Person) -> Notice:
        """How to call ``/nps survey …``, for a subcommand that is unknown or incomplete."""
        return Notice(self.translator(person)("admin.usage"), Tone.WARNING)

    # -- helpers -------------------------------------------------------------------------

    def translator(self, person: Person) -> Translator:
        """The words of ``person``'s language (for adapters confirming a cancel and such)."""
        return self._deps.catalogs.translator(
            normalize_locale(person.locale, fallback=self._default_locale)
        )

    async def _as_admin(
        self,
        person: Person,
        work: Callable[[Translator], Awaitable[AdminView]],
        *,
        reaching: bool = False,
    ) -> AdminView:
        """Run ``work`` for an admin; turn every refusal into a view in their language.

        A refusal naming a setting becomes :class:`FormErrors`; others a :class:`Notice`.
        A database outage becomes "try again in a moment" (the transaction rolled back).
        With ``reaching``, a platform failure while delivering is reported, not raised.
        """
        t = self.translator(person)
        if not person.is_admin:
            return self.not_allowed(person)
        try:
            return await work(t)
        except SurveyError as error:
            text = t(error.key, **error.params)
            if error.field is not None:
                return FormErrors(errors={Setting(error.field): text}, text=text)
            return Notice(text, Tone.ERROR)
        except (OperationalError, DBAPIError, OSError):
            log.exception("database error while managing a survey")
            return Notice(t("error.try_again"), Tone.ERROR)
        except Exception:
            if not reaching:
                raise
            # State is written before anything is sent: the invited are still asked, and
            # the frequency cap keeps a second start from asking anyone twice.
            log.exception("a survey wave could not reach the platform")
            return Notice(t("admin.platform_failed"), Tone.ERROR)

    @staticmethod
    def _check_reach(person: Person, reach: Reach) -> None:
        """A reach acts for one tenant: never let it open or close another's waves."""
        if reach.tenant != person.tenant or reach.platform.name != person.platform:
            raise SurveyError(
                "the platform connection speaks for another workspace",
                key="admin.error.other_tenant",
            )

    async def _tenant(self, session: AsyncSession, person: Person) -> Tenant:
        return await tenants.get_or_create_tenant(
            session,
            platform=person.platform,
            external_id=person.tenant,
            locale=self._default_locale,
            now=self._deps.clock(),
        )
