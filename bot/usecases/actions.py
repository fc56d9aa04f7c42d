"""Action plans from chat and the command line: list, add, update.

Who may do what: an admin may list, add and change any action of their tenant's
surveys; a scoped viewer (a person a survey's report is shared with for one group) may
do the same with the actions of *their* group only, and nothing else; anyone else gets
the refusal every non-admin gets for administration. The admin check is the shared one
(:func:`bot.usecases.guards.admin_only`) wherever only admins may pass.

Validation is the domain's (:mod:`bot.domain.actions`): every refusal comes back at
once, as :class:`ActionFormErrors` (a reason beside each field) or, when no field is at
fault, as a notice; a refused request stores nothing. Each call is one transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.actions import (
    NUMBER_LIMIT,
    ActionDraft,
    ActionFields,
    ActionStatus,
    validate_new,
    validate_update,
)
from bot.domain.commands import ActionsCommand, ActionsVerb
from bot.domain.errors import SurveyError, SurveyErrors
from bot.domain.people import Person
from bot.domain.surveys import DEFAULT_SURVEY
from bot.i18n import Translator
from bot.usecases.action_views import action_form, action_list
from bot.usecases.context import WaveDeps
from bot.usecases.guards import Speaking, database_guard
from bot.usecases.keys import PersonKeys
from bot.usecases.survey_admin import NOT_ALLOWED
from bot.usecases.surveys import named_survey
from bot.views.actions import ActionField, ActionForm, ActionFormErrors
from bot.views.admin import AdminView
from bot.views.common import Notice, ReportView, Tone
from storage import actions as store
from storage import tenants
from storage import viewers as viewer_store
from storage.models import Survey
from storage.plan_models import ActionPlan, ActionPlanBase

P = ParamSpec("P")
R = TypeVar("R")
Owner = TypeVar("Owner", bound=Speaking)

Scope = tuple[str, str]
"""The group (label, value) a scoped viewer acts for."""

_OPTION_FIELDS: Mapping[str, ActionField] = {field.value: field for field in ActionField}


@dataclass(frozen=True)
class Authority:
    """The survey a person acts on, and the group they are limited to (None: an admin)."""

    survey: Survey
    scope: Scope | None


def action_words(
    use_case: Callable[Concatenate[Owner, Person, P], Awaitable[R]],
) -> Callable[Concatenate[Owner, Person, P], Awaitable[R | ActionFormErrors | Notice]]:
    """Turn a :class:`SurveyError` into the person's words: :class:`ActionFormErrors`
    when its refusals name fields of an action, else a notice."""

    @functools.wraps(use_case)
    async def worded(
        owner: Owner, person: Person, /, *args: P.args, **kwargs: P.kwargs
    ) -> R | ActionFormErrors | Notice:
        try:
            return await use_case(owner, person, *args, **kwargs)
        except SurveyError as error:
            t = owner.translator(person)
            refusals = error.errors if isinstance(error, SurveyErrors) else (error,)
            texts = [t(refusal.key, **refusal.params) for refusal in refusals]
            fields: dict[ActionField, str] = {}
            for refusal, text in zip(refusals, texts, strict=True):
                if refusal.field is not None and refusal.field in _OPTION_FIELDS:
                    fields.setdefault(_OPTION_FIELDS[refusal.field], text)
            if fields:
                return ActionFormErrors(errors=fields, text="\n".join(texts))
            return Notice("\n".join(texts), Tone.ERROR)

    return worded


def draft_of(options: Mapping[str, str]) -> ActionDraft:
    """The draft typed options give; :class:`SurveyError` names options that are no
    field of an action."""
    unknown = [key for key in options if key not in _OPTION_FIELDS]
    if unknown:
        raise SurveyError.unknown_options(
            unknown,
            key="actions.error.unknown_option",
            known=", ".join(field.value for field in ActionField),
        )
    return ActionDraft(**{key: options[key] for key in options})


def fields_of(action: ActionPlan) -> ActionFields:
    """A stored action as the domain's validated values."""
    return ActionFields(
        title=action.title,
        owner=action.owner,
        due=action.due_on,
        status=ActionStatus(action.status),
        note=action.note,
        theme=action.theme,
        driver=action.driver,
    )


def item_of(fields: ActionFields, scope: Scope | None) -> ActionPlanBase:
    """What storage keeps of validated values."""
    return ActionPlanBase(
        title=fields.title,
        owner=fields.owner,
        due_on=fields.due,
        status=fields.status.value,
        note=fields.note,
        theme=fields.theme,
        driver=fields.driver,
        scope_label=scope[0] if scope else None,
        scope_value=scope[1] if scope else None,
    )


class ActionPlans:
    """A survey's action plan. Construct once in the composition root."""

    def __init__(self, deps: WaveDeps) -> None:
        self._deps = deps
        self._keys = PersonKeys(deps.pepper)

    def translator(self, person: Person) -> Translator:
        return self._deps.translator_for(person.locale)

    # -- for the operator (the command line) -------------------------------------------

    async def add(self, *, platform: str, tenant: str, name: str, draft: ActionDraft) -> ActionPlan:
        """Add an action to ``name``; :class:`SurveyError` for an unknown survey or a
        draft refused (every refusal at once)."""
        async with self._deps.database.transaction() as session:
            survey = await named_survey(session, platform=platform, tenant=tenant, name=name)
            return await self._add(session, survey, draft, scope=None, platform=platform)

    async def update(
        self, *, platform: str, tenant: str, name: str, number: int, draft: ActionDraft
    ) -> ActionPlan:
        """Change action ``number`` of ``name`` as ``draft`` says."""
        async with self._deps.database.transaction() as session:
            survey = await named_survey(session, platform=platform, tenant=tenant, name=name)
            return await self._update(session, survey, number, draft, scope=None, platform=platform)

    async def listing(self, *, platform: str, tenant: str, name: str) -> list[ActionPlan]:
        """Every action of ``name``, by number."""
        async with self._deps.database.transaction() as session:
            survey = await named_survey(session, platform=platform, tenant=tenant, name=name)
            return await store.actions_of_survey(session, survey_id=survey.id)

    # -- chat ----------------------------------------------------------------------------

    async def run(self, person: Person, command: ActionsCommand) -> AdminView:
        """Run ``actions list|add|update`` for ``person`` (``preview`` is
        :class:`~bot.usecases.action_notes.WaveNotes`')."""
        if command.action is ActionsVerb.ADD:
            return await self.add_in_chat(person, command.survey, command.options)
        if command.action is ActionsVerb.UPDATE:
            return await self.update_in_chat(
                person, command.survey, command.number, command.options
            )
        return await self.list_in_chat(person, command.survey, command.options)

    @database_guard
    @action_words
    async def list_in_chat(
        self, person: Person, name: str | None, options: Mapping[str, str] | None = None
    ) -> ReportView | Notice:
        """The actions the person may see: all of the survey's for an admin, their
        group's for a scoped viewer. The list takes no option: one typed is refused
        rather than ignored (:class:`SurveyError`)."""
        if options:
            raise SurveyError.unknown_options(options, key="actions.error.list_options")
        t = self.translator(person)
        async with self._deps.database.transaction() as session:
            found = await self._authority(session, person, name)
            if isinstance(found, Notice):
                return found
            listed = await store.actions_of_survey(
                session, survey_id=found.survey.id, scope=found.scope
            )
        return action_list(t, found.survey.name, listed, today=self._deps.clock().date())

    @database_guard
    @action_words
    async def add_in_chat(
        self, person: Person, name: str | None, options: Mapping[str, str] | None
    ) -> Notice | ActionForm:
        """Add an action (``options`` None: the blank form to fill in)."""
        t = self.translator(person)
        async with self._deps.database.transaction() as session:
            found = await self._authority(session, person, name)
            if isinstance(found, Notice):
                return found
            if options is None:
                return action_form(t, found.survey, None)
            added = await self._add(
                session,
                found.survey,
                draft_of(options),
                scope=found.scope,
                platform=person.platform,
            )
        return Notice(
            t("actions.added", number=added.number, survey=found.survey.name, title=added.title),
            Tone.SUCCESS,
        )

    @database_guard
    @action_words
    async def update_in_chat(
        self,
        person: Person,
        name: str | None,
        number: int | None,
        options: Mapping[str, str] | None,
    ) -> Notice | ActionForm:
        """Change action ``number`` (``options`` None: its form, filled in)."""
        t = self.translator(person)
        if number is None:
            return Notice(t("actions.usage"), Tone.WARNING)
        async with self._deps.database.transaction() as session:
            found = await self._authority(session, person, name)
            if isinstance(found, Notice):
                return found
            if options is None:
                current = await self._visible(session, found, number)
                return action_form(t, found.survey, current)
            changed = await self._update(
                session,
                found.survey,
                number,
                draft_of(options),
                scope=found.scope,
                platform=person.platform,
            )
        return Notice(
            t(
                "actions.updated",
                number=changed.number,
                survey=found.survey.name,
                status=t(f"actions.status.{changed.status}"),
            ),
            Tone.SUCCESS,
        )

    # -- shared --------------------------------------------------------------------------

    async def _add(
        self,
        session: AsyncSession,
        survey: Survey,
        draft: ActionDraft,
        *,
        scope: Scope | None,
        platform: str,
    ) -> ActionPlan:
        fields = validate_new(draft, today=self._deps.clock().date(), platform=platform)
        return await store.add_action(
            session, survey=survey, item=item_of(fields, scope), now=self._deps.clock()
        )

    async def _update(
        self,
        session: AsyncSession,
        survey: Survey,
        number: int,
        draft: ActionDraft,
        *,
        scope: Scope | None,
        platform: str,
    ) -> ActionPlan:
        action = await self._visible(session, Authority(survey, scope), number)
        today = self._deps.clock().date()
        fields = validate_update(fields_of(action), draft, today=today, platform=platform)
        return await store.update_action(
            session, action=action, item=item_of(fields, scope), now=self._deps.clock()
        )

    async def _visible(self, session: AsyncSession, found: Authority, number: int) -> ActionPlan:
        """Action ``number`` when the person may change it; a scoped viewer is told of
        no action outside their group, exactly as of one that does not exist."""
        action = (
            await store.find_action(session, survey_id=found.survey.id, number=number)
            if 1 <= number <= NUMBER_LIMIT
            else None
        )
        outside = found.scope is not None and (action is None or _scope(action) != found.scope)
        if action is None or outside:
            raise SurveyError(f"no action #{number}", key="actions.error.unknown", number=number)
        return action

    async def _authority(
        self, session: AsyncSession, person: Person, name: str | None
    ) -> Authority | Notice:
        """Which survey the person acts on and with what scope, or the refusal."""
        if person.is_admin:
            survey = await named_survey(
                session,
                platform=person.platform,
                tenant=person.tenant,
                name=name or DEFAULT_SURVEY,
            )
            return Authority(survey, None)
        refused = Notice(self.translator(person)(NOT_ALLOWED), Tone.WARNING)
        tenant = await tenants.find_tenant(
            session, platform=person.platform, external_id=person.tenant
        )
        if tenant is None:
            return refused
        shares = await viewer_store.shares_of_viewer(
            session, tenant_id=tenant.id, viewer_key=self._keys.respondent(person)
        )
        chosen = [
            (share, survey)
            for share, survey in shares
            if survey.name == name or (name is None and len(shares) == 1)
        ]
        if len(chosen) != 1:
            return refused
        share, survey = chosen[0]
        return Authority(survey, (share.label, share.value))


def _scope(action: ActionPlan) -> Scope | None:
    if action.scope_label is None or action.scope_value is None:
        return None
    return (action.scope_label, action.scope_value)
