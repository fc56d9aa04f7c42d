"""Survey management use cases for operators: create, edit, list, status, start, close.

Surveys belong to a tenant (a platform and its workspace/guild id). Settings are
validated before anything is written; a change that would weaken anonymity after
answers exist (lowering k) is refused with a reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.domain.cadence import survey_trigger
from bot.domain.drivers import DriverError, drivers_from_json
from bot.domain.errors import Refusals, SurveyError, driver_refusal, unknown_survey
from bot.domain.surveys import SurveyState
from bot.i18n import SUPPORTED
from bot.ports.reach import Reach
from bot.usecases.context import WaveDeps
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

EDITABLE = frozenset(
    {
        "subject",
        "audience",
        "cadence",
        "window_days",
        "k_min",
        "cap_max_asks",
        "digest_channel",
        "digest_cadence",
        "alert_channel",
        "timezone",
        "locale",
        "reminders",
        "status",
        "drivers",
    }
)


@dataclass(frozen=True)
class SurveySpec:
    """Everything a new survey needs; defaults follow the method (twice a year, k = 5)."""

    name: str
    kind: str = "nps"
    subject: str = ""
    audience: Mapping[str, str] = field(default_factory=dict)
    cadence: str | None = None
    window_days: int = 14
    reminders: int = 2
    k_min: int = 5
    cap_max_asks: int = 2
    digest_channel: str | None = None
    timezone: str = "UTC"
    locale: str = "en"
    digest_cadence: str | None = None
    alert_channel: str | None = None
    drivers: Sequence[Mapping[str, str]] = ()
    """Optional driver questions, ``{"key", "label"}`` each (see :mod:`bot.domain.drivers`)."""


NAME_LIMIT = 64
SUBJECT_LIMIT = 200
WINDOW_LIMIT = 365
"""The longest a wave stays open, in days: a year, well inside the dates a close can be
scheduled on (a window of millions of days failed the wave's opening)."""


def validate_spec(spec: SurveySpec) -> None:
    """Refuse a new survey's settings, all refusals together (:class:`SurveyErrors`)."""
    _validate(_values_of(spec))


def _values_of(spec: SurveySpec) -> dict[str, Any]:
    return {
        **spec.__dict__,
        "audience": dict(spec.audience),
        "drivers": [dict(driver) for driver in spec.drivers],
    }


def _validate(values: Mapping[str, Any]) -> None:
    """Check every setting; all refusals are raised together (:class:`SurveyErrors`)."""
    refusals = Refusals()
    name = str(values.get("name", ""))
    with refusals.collecting():
        if not name.strip() or len(name) > NAME_LIMIT:
            raise SurveyError(
                f"a name needs 1 to {NAME_LIMIT} characters",
                key="admin.error.name",
                field="name",
                limit=NAME_LIMIT,
            )
    with refusals.collecting():
        if len(str(values.get("subject", ""))) > SUBJECT_LIMIT:
            raise SurveyError(
                f"the subject is longer than {SUBJECT_LIMIT} characters",
                key="admin.error.subject",
                field="subject",
                limit=SUBJECT_LIMIT,
            )
    with refusals.collecting():
        if values.get("kind", "nps") not in {"nps", "enps"}:
            raise SurveyError("kind must be nps or enps", key="admin.error.kind", field="kind")
    with refusals.collecting():
        if int(values.get("k_min", 5)) < 3:
            raise SurveyError("k must be at least 3", key="admin.error.k_min", field="k_min")
    with refusals.collecting():
        if int(values.get("window_days", 14)) < 1:
            raise SurveyError(
                "the window must be at least one day", key="admin.error.window", field="window_days"
            )
        if int(values.get("window_days", 14)) > WINDOW_LIMIT:
            raise SurveyError(
                f"a wave can stay open at most {WINDOW_LIMIT} days",
                key="admin.error.window_long",
                field="window_days",
                limit=WINDOW_LIMIT,
            )
    with refusals.collecting():
        # The frequency cap's policy needs one ask at least: 0 would stop every ask
        # with an error instead of asking nobody.
        if int(values.get("cap_max_asks", 2)) < 1:
            raise SurveyError(
                "the cap must allow at least one ask", key="admin.error.cap", field="cap_max_asks"
            )
    with refusals.collecting():
        if int(values.get("reminders", 2)) < 0:
            raise SurveyError(
                "reminders cannot be negative", key="admin.error.reminders", field="reminders"
            )
    with refusals.collecting():
        if values.get("locale", "en") not in SUPPORTED:
            choices = ", ".join(SUPPORTED)
            raise SurveyError(
                f"locale must be one of {choices}",
                key="admin.error.locale",
                field="locale",
                choices=choices,
            )
    with refusals.collecting():
        if values.get("status", SurveyState.ACTIVE) not in set(SurveyState):
            choices = ", ".join(SurveyState)
            raise SurveyError(
                f"status must be one of {choices}", key="admin.error.status", choices=choices
            )
    timezone = str(values.get("timezone", "UTC"))
    with refusals.collecting():
        try:
            survey_trigger(None, timezone)
        except (ValueError, KeyError) as error:
            raise SurveyError(
                f"invalid cadence or time zone: {error}",
                key="admin.error.timezone",
                field="timezone",
                timezone=timezone,
            ) from error
    # Cadences are read in the time zone: checked in a refused one, they say nothing new.
    if not any(error.field == "timezone" for error in refusals.errors):
        with refusals.collecting():
            try:
                survey_trigger(values.get("cadence"), timezone)
            except (ValueError, KeyError) as error:
                raise SurveyError(
                    f"invalid cadence or time zone: {error}",
                    key="admin.error.cadence",
                    field="cadence",
                    cadence=values.get("cadence"),
                ) from error
        with refusals.collecting():
            if values.get("digest_cadence"):
                try:
                    survey_trigger(values["digest_cadence"], timezone)
                except (ValueError, KeyError) as error:
                    raise SurveyError(
                        f"invalid digest cadence: {error}",
                        key="admin.error.digest_cadence",
                        field="digest_cadence",
                        cadence=values["digest_cadence"],
                    ) from error
    with refusals.collecting():
        try:
            drivers_from_json(values.get("drivers", []))
        except DriverError as error:
            raise driver_refusal(error) from error
    refusals.raise_any()


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
    values = _values_of(spec)
    _validate(values)
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
        merged = {**survey.model_dump(), **changes}
        _validate(merged)
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
    opened = await open_wave(deps, reach, survey_id=survey.id, scheduled_for=deps.clock())
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
