"""Survey administration from chat: the use cases every platform shares.

An admin manages the surveys of their own tenant only: every call takes the
:class:`~bot.domain.people.Person` asking, and the tenant is *their* platform and
workspace/guild id, never one named in the request. Each call first checks that the
person is an admin (the platform's verdict on :attr:`Person.is_admin`), so an adapter
that forgets its own check still refuses. Every answer is a translated view; a refused
request stores nothing.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Concatenate, ParamSpec, TypeVar

from bot.domain.commands import SurveyUsage
from bot.domain.errors import Refusals, SurveyError, SurveyErrors
from bot.domain.inputs import named_back
from bot.domain.people import Person
from bot.i18n import Translator
from bot.ports.reach import Reach
from bot.usecases.context import WaveDeps
from bot.usecases.guards import Speaking, admin_only, database_guard
from bot.usecases.survey_settings import SurveySpec, validate_spec
from bot.usecases.surveys import (
    close_survey,
    create_survey,
    edit_survey,
    named_survey,
    remove_survey,
    start_survey,
    survey_status,
)
from bot.views.admin import DeleteConfirmation, FormErrors, Setting, SurveyForm
from bot.views.common import Notice, ReportView, Tone
from bot.views.survey_form import read_settings, settings_from, survey_form
from bot.views.survey_status import status_view, survey_list
from storage.surveys import tenant_surveys

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")
Admin = TypeVar("Admin", bound=Speaking)
"""Whoever owns the use case: anything that words things in a person's language."""


def in_words(
    use_case: Callable[Concatenate[Admin, Person, P], Awaitable[R]],
) -> Callable[Concatenate[Admin, Person, P], Awaitable[R | FormErrors | Notice]]:
    """Turn a :class:`SurveyError` into the admin's words: :class:`FormErrors` when it
    names a setting (a form shows it there), else a :class:`Notice`."""

    @functools.wraps(use_case)
    async def worded(
        admin: Admin, person: Person, /, *args: P.args, **kwargs: P.kwargs
    ) -> R | FormErrors | Notice:
        try:
            return await use_case(admin, person, *args, **kwargs)
        except SurveyError as error:
            t = admin.translator(person)
            refusals = error.errors if isinstance(error, SurveyErrors) else (error,)
            texts = [t(refusal.key, **refusal.params) for refusal in refusals]
            fields: dict[Setting, str] = {}
            for refusal, text in zip(refusals, texts, strict=True):
                if refusal.field is not None:
                    fields.setdefault(Setting(refusal.field), text)
            if fields:
                return FormErrors(errors=fields, text="\n".join(texts))
            return Notice("\n".join(texts), Tone.ERROR)

    return worded


def _reaching(
    use_case: Callable[Concatenate[Admin, Person, P], Awaitable[R]],
) -> Callable[Concatenate[Admin, Person, P], Awaitable[R | Notice]]:
    """Report a platform failure while delivering instead of raising it."""

    @functools.wraps(use_case)
    async def reported(
        admin: Admin, person: Person, /, *args: P.args, **kwargs: P.kwargs
    ) -> R | Notice:
        try:
            return await use_case(admin, person, *args, **kwargs)
        except Exception:
            # State is written before anything is sent: the invited are still asked, and
            # the frequency cap keeps a second start from asking anyone twice.
            log.exception("a survey wave could not reach the platform")
            return Notice(admin.translator(person)("admin.platform_failed"), Tone.ERROR)

    return reported


NOT_ALLOWED = "admin.not_allowed"


def _admin_use_case(
    use_case: Callable[Concatenate[Admin, Person, P], Awaitable[R]],
) -> Callable[Concatenate[Admin, Person, P], Awaitable[R | FormErrors | Notice]]:
    """The guards of every survey administration use case, outermost first: the admin
    check, the database-failure guard, and refusals put in words."""
    return admin_only(NOT_ALLOWED)(database_guard(in_words(use_case)))


def _reaching_use_case(
    use_case: Callable[Concatenate[Admin, Person, P], Awaitable[R]],
) -> Callable[Concatenate[Admin, Person, P], Awaitable[R | FormErrors | Notice]]:
    """:func:`_admin_use_case` for a use case that reaches the platform: a platform
    failure while delivering is reported rather than raised."""
    return admin_only(NOT_ALLOWED)(_reaching(database_guard(in_words(use_case))))


class SurveyAdmin:
    """Survey create/edit/list/status/start/close/delete for admins, in their language.

    Construct once in the composition root. Every use case runs behind the same
    guards (:func:`_admin_use_case`); start and close also report a platform failure
    rather than raise it.
    """

    def __init__(self, deps: WaveDeps) -> None:
        self._deps = deps

    # -- reading -----------------------------------------------------------------------

    @_admin_use_case
    async def list(self, person: Person) -> ReportView:
        """This tenant's surveys with state, kind, k and answers (a report-like view)."""
        async with self._deps.database.transaction() as session:
            rows = await tenant_surveys(
                session, platform=person.platform, external_id=person.tenant
            )
        return survey_list(self.translator(person), rows)

    @_admin_use_case
    async def status(self, person: Person, name: str) -> ReportView:
        """One survey's settings, answers and newest wave."""
        found = await survey_status(
            self._deps.database, platform=person.platform, tenant=person.tenant, name=name
        )
        return status_view(self.translator(person), found)

    @_admin_use_case
    async def form(self, person: Person, name: str | None = None) -> SurveyForm:
        """The blank create form, or (with ``name``) the edit form prefilled."""
        t = self.translator(person)
        if name is None:
            return survey_form(t, platform=person.platform, locale=t.language)
        async with self._deps.database.transaction() as session:
            survey = await named_survey(
                session, platform=person.platform, tenant=person.tenant, name=name
            )
        return survey_form(t, platform=person.platform, survey=survey)

    # -- changing ----------------------------------------------------------------------

    @_admin_use_case
    async def create(self, person: Person, values: Mapping[Setting, object]) -> Notice:
        """Create a survey from a form's ``values``; :class:`FormErrors` when refused."""
        settings, refused = read_settings(values, platform=person.platform)
        if refused:
            # What could be read is checked too, so the form names every fault at once.
            refusals = Refusals()
            refusals.errors.extend(refused)
            with refusals.collecting():
                validate_spec(SurveySpec(**settings), platform=person.platform)
            refusals.raise_any()
        spec = SurveySpec(**settings)
        await create_survey(
            self._deps.database,
            platform=person.platform,
            tenant=person.tenant,
            spec=spec,
            now=self._deps.clock(),
            default_locale=self._deps.default_locale,
        )
        return Notice(self.translator(person)("admin.created", name=spec.name), Tone.SUCCESS)

    @_admin_use_case
    async def edit(self, person: Person, name: str, values: Mapping[Setting, object]) -> Notice:
        """Change the settings present in ``values``; lowering k after answers is refused."""
        changes = settings_from(values, platform=person.platform)
        await edit_survey(
            self._deps.database,
            platform=person.platform,
            tenant=person.tenant,
            name=name,
            changes=changes,
        )
        return Notice(self.translator(person)("admin.updated", name=name), Tone.SUCCESS)

    @_reaching_use_case
    async def start(self, person: Person, reach: Reach, name: str) -> Notice:
        """Open a wave now through ``reach`` (which must speak for the person's tenant)."""
        _check_reach(person, reach)
        opened, report = await start_survey(self._deps, reach, name=name)
        return Notice(
            self.translator(person).plural(
                "admin.started", opened.invited, name=name, sent=report.sent
            ),
            Tone.SUCCESS,
        )

    @_reaching_use_case
    async def close(self, person: Person, reach: Reach, name: str) -> Notice:
        """Close the survey's open waves now (their messages say so, digests post)."""
        _check_reach(person, reach)
        closed = await close_survey(self._deps, reach, name=name)
        t = self.translator(person)
        return Notice(t.plural("admin.closed", closed, name=name), Tone.SUCCESS)

    @_admin_use_case
    async def confirm_delete(self, person: Person, name: str) -> DeleteConfirmation:
        """The question to ask before :meth:`delete` (the survey must exist)."""
        async with self._deps.database.transaction() as session:
            await named_survey(session, platform=person.platform, tenant=person.tenant, name=name)
        t = self.translator(person)
        return DeleteConfirmation(
            survey=name,
            title=t("admin.delete.title"),
            question=t("admin.delete.question", name=name),
            confirm_label=t("admin.delete.confirm"),
            cancel_label=t("admin.delete.cancel"),
            typed=t("admin.delete.typed", name=name),
        )

    @_admin_use_case
    async def delete(self, person: Person, name: str) -> Notice:
        """Delete the survey and everything under it, in one transaction."""
        deleted = await remove_survey(
            self._deps.database, platform=person.platform, tenant=person.tenant, name=name
        )
        return Notice(
            self.translator(person).plural("admin.deleted", deleted.responses, name=name),
            Tone.SUCCESS,
        )

    def not_allowed(self, person: Person) -> Notice:
        """The refusal for someone who is not an admin (for a platform's own check)."""
        return Notice(self.translator(person)(NOT_ALLOWED), Tone.WARNING)

    def kept(self, person: Person, name: str) -> Notice:
        """What to say when the admin answered "keep it" to the delete question."""
        return Notice(self.translator(person)("admin.delete.cancelled", name=name))

    def usage(self, person: Person, usage: SurveyUsage) -> Notice:
        """How to call ``/nps survey …``, for a subcommand that is unknown or incomplete,
        after the option it does not take, named back, when that was the fault.

        A platform whose people cannot type everything (the console has no mentions, so
        no ``share NAME @person``) has its own line, ``admin.usage.<platform>``, saying
        only what can be typed there; every other platform gets ``admin.usage``.
        """
        t = self.translator(person)
        try:
            text = t(f"admin.usage.{person.platform}")
        except KeyError:
            text = t("admin.usage")
        if usage.action is not None and usage.word is not None:
            stray = t("admin.usage.stray", action=usage.action, word=named_back(usage.word))
            text = f"{stray} {text}"
        return Notice(text, Tone.WARNING)

    def translator(self, person: Person) -> Translator:
        """The words of ``person``'s language (for adapters confirming a cancel and such)."""
        return self._deps.translator_for(person.locale)


def _check_reach(person: Person, reach: Reach) -> None:
    """A reach acts for one tenant: never let it open or close another's waves."""
    if reach.tenant != person.tenant or reach.platform.name != person.platform:
        raise SurveyError(
            "the platform connection speaks for another workspace",
            key="admin.error.other_tenant",
        )
