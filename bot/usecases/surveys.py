"""Survey management use cases for operators: create, edit, list, status, start, close.

Surveys belong to a tenant (a platform and its workspace/guild id). Settings are
validated before anything is written; a change that would weaken anonymity after
answers exist (lowering k) is refused with a reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.domain.errors import SurveyError, unknown_survey
from bot.ports.platform import AudienceUnresolved
from bot.ports.reach import Reach
from bot.usecases.context import WaveDeps
from bot.usecases.survey_settings import EDITABLE, SurveySpec, validate, values_of
from bot.usecases.tenants import reach_tenant, tenant_of
from bot.usecases.waves.closing import close_wave
from bot.usecases.waves.delivery import DeliveryReport, ProgressHook, deliver_due
from bot.usecases.waves.opening import Opened, open_wave
from bot.views.survey_status import SurveyStatus
from storage import invitations
from storage import surveys as survey_store
from storage import tenants as tenant_store
from storage import waves as store
from storage.database import Database
from storage.models import Survey, Tenant

if TYPE_CHECKING:  # deleting a survey is rare: its storage loads with the first deletion
    from storage.deletion import Deleted


async def named_survey(session: AsyncSession, *, platform: str, tenant: str, name: str) -> Survey:
    """The survey ``name`` of ``platform``/``tenant``; :class:`SurveyError` when there is
    none. Looking never creates a tenant."""
    owner = await tenant_store.find_tenant(session, platform=platform, external_id=tenant)
    survey = (
        None
        if owner is None
        else await survey_store.find_survey_by_name(session, tenant_id=owner.id, name=name)
    )
    if survey is None:
        raise unknown_survey(name)
    return survey


async def _named(session: AsyncSession, *, tenant_id: uuid.UUID, name: str) -> Survey:
    survey = await survey_store.find_survey_by_name(session, tenant_id=tenant_id, name=name)
    if survey is None:
        raise unknown_survey(name)
    return survey


async def create_survey(
    database: Database,
    *,
    platform: str,
    tenant: str,
    spec: SurveySpec,
    now: datetime,
    default_locale: str,
) -> Survey:
    """Create a survey; raise :class:`SurveyError` when a setting is invalid or taken.

    A tenant seen for the first time is created with ``default_locale`` (the configured
    ``DEFAULT_LOCALE``, see :mod:`bot.usecases.tenants`).
    """
    values = values_of(spec)
    validate(values, given=None, platform=platform)
    async with database.transaction() as session:
        owner = await tenant_of(
            session, platform=platform, external_id=tenant, default_locale=default_locale, now=now
        )
        if await survey_store.find_survey_by_name(session, tenant_id=owner.id, name=spec.name):
            raise SurveyError(
                f"a survey called {spec.name!r} exists already",
                key="admin.error.exists",
                field="name",
                name=spec.name,
            )
        survey = Survey(
            tenant_id=owner.id,
            created_at=now,
            k_comments=max(Survey.model_fields["k_comments"].default, spec.k_min),
            **values,
        )
        session.add(survey)
    return survey


async def edit_survey(
    database: Database, *, platform: str, tenant: str, name: str, changes: Mapping[str, Any]
) -> Survey:
    """Change some settings. Lowering k once answers exist is refused: reports already
    shown under the higher k could be differenced against new, smaller groups."""
    unknown = set(changes) - EDITABLE
    if unknown:
        names = ", ".join(sorted(unknown))
        valid = ", ".join(sorted(EDITABLE))
        raise SurveyError(
            f"cannot change {names}; the settings are {valid}",
            key="admin.error.not_editable",
            names=names,
            valid=valid,
        )
    async with database.transaction() as session:
        survey = await named_survey(session, platform=platform, tenant=tenant, name=name)
        # A setting given as it is stored changes nothing, so no rule is checked again
        # for it: an edit form carries back every setting, and one stored before a rule
        # came in must not stop the admin from changing another.
        changes = {key: value for key, value in changes.items() if getattr(survey, key) != value}
        merged = {**survey.model_dump(), **changes}
        validate(merged, given=changes.keys(), platform=platform)
        new_k = int(changes.get("k_min", survey.k_min))
        from storage import aggregates  # the report's counting, loaded on first use

        answers = sum(await aggregates.score_histogram(session, survey_id=survey.id))
        if new_k < survey.k_min and answers > 0:
            raise SurveyError(
                f"k cannot go below {survey.k_min}: the survey has answers, and a smaller k "
                "could expose people in results already shown",
                key="admin.error.k_lowered",
                field="k_min",
                k=survey.k_min,
            )
        for key, value in changes.items():
            setattr(survey, key, value)
        survey.k_comments = max(survey.k_comments, survey.k_min)
        session.add(survey)
    return survey


async def remove_survey(database: Database, *, platform: str, tenant: str, name: str) -> Deleted:
    """Delete the survey ``name`` of this tenant with everything under it (waves,
    invitations, asks, answers, digests), in one transaction; the scheduler drops its
    job on its next sync."""
    from storage.deletion import delete_survey

    async with database.transaction() as session:
        survey = await named_survey(session, platform=platform, tenant=tenant, name=name)
        return await delete_survey(session, survey_id=survey.id)


async def list_surveys(database: Database) -> list[tuple[Survey, Tenant]]:
    """Every survey with its tenant, by platform, tenant and name."""
    async with database.transaction() as session:
        query = (
            select(Survey, Tenant)
            .join(Tenant, col(Tenant.id) == col(Survey.tenant_id))
            .order_by(col(Tenant.platform), col(Tenant.external_id), col(Survey.name))
        )
        return list((await session.execute(query)).all())


async def survey_status(
    database: Database, *, platform: str, tenant: str, name: str
) -> SurveyStatus:
    """The status of the survey ``name`` of this tenant (see :func:`read_status`)."""
    async with database.transaction() as session:
        survey = await named_survey(session, platform=platform, tenant=tenant, name=name)
        return await read_status(session, survey=survey, platform=platform, tenant=tenant)


async def read_status(
    session: AsyncSession, *, survey: Survey, platform: str, tenant: str
) -> SurveyStatus:
    """A survey's answers, newest wave and that wave's invitations by status: the one
    status read, whoever asks (the CLI, a chat admin, the default survey's status)."""
    wave = await store.latest_wave(session, survey_id=survey.id)
    counts = await invitations.status_counts(session, wave_id=wave.id) if wave else {}
    from storage import aggregates  # the report's counting, loaded on first use

    answers = sum(await aggregates.score_histogram(session, survey_id=survey.id))
    return SurveyStatus(
        survey=survey,
        platform=platform,
        tenant=tenant,
        answers=answers,
        wave=wave,
        invitations=counts,
    )


async def start_survey(
    deps: WaveDeps, reach: Reach, *, name: str, progress: ProgressHook | None = None
) -> tuple[Opened, DeliveryReport]:
    """Open a wave of ``name`` now and deliver what is due at once (the rest waits for
    its recipients' working hours and is sent by the scheduler)."""
    async with deps.database.transaction() as session:
        owner = await reach_tenant(session, deps, reach)
        survey = await _named(session, tenant_id=owner.id, name=name)
    try:
        opened = await open_wave(deps, reach, survey_id=survey.id, scheduled_for=deps.clock())
    except AudienceUnresolved as error:
        raise SurveyError(
            f"the audience of survey {name!r} cannot be listed ({error.detail}): change it "
            "with survey edit; no wave was opened",
            key="admin.error.audience_unresolved",
            name=name,
            detail=error.detail,
        ) from error
    if opened is None:
        raise SurveyError(f"survey {name!r} is paused", key="admin.error.paused", name=name)
    return opened, await deliver_due(deps, reach, progress=progress)


async def close_survey(deps: WaveDeps, reach: Reach, *, name: str) -> int:
    """Close every open wave of ``name`` now; return how many were closed."""
    async with deps.database.transaction() as session:
        owner = await reach_tenant(session, deps, reach)
        survey = await _named(session, tenant_id=owner.id, name=name)
        waves = await store.open_waves(session, survey_id=survey.id)
    closed = 0
    for wave in waves:
        closed += await close_wave(deps, reach, wave_id=wave.id)
    return closed
