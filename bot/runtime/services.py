"""The composition root: builds every long-lived object of the core once, from settings.

:func:`build_services` resolves the pepper once, opens the database and wires every use
case over them; :class:`Services` hands them out as typed fields. Adapters reach the
use cases only through these fields (see :mod:`bot.runtime.context`), so a use case
built twice, with two sets of settings, cannot happen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.domain.drivers import parse_drivers
from bot.domain.leases import lease_warning
from bot.i18n import Catalogs
from bot.runtime.metrics import Metrics
from bot.runtime.pepper import resolve_pepper
from bot.runtime.settings import Settings
from bot.usecases.action_notes import WaveNotes
from bot.usecases.actions import ActionPlans
from bot.usecases.chat import SurveyDefaults
from bot.usecases.commands import Commands
from bot.usecases.context import WaveDeps
from bot.usecases.engine import Engine
from bot.usecases.keys import PersonKeys
from bot.usecases.pacing import Paces
from bot.usecases.replies import ReplyAdmin
from bot.usecases.reports import Reports
from bot.usecases.role_labels import RoleLabels
from bot.usecases.survey_admin import SurveyAdmin
from bot.usecases.tenant_removal import delete_tenant_data
from bot.usecases.viewers import ScopedViewers
from storage.database import Database
from storage.migrate import head_revision, upgrade

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class TenantRemoval:
    """Deleting all survey data of a tenant the platform says the bot was removed from."""

    database: Database

    async def delete(self, *, platform: str, tenant: str) -> int:
        """Remove every row of the tenant in one transaction; the number of rows removed."""
        return await delete_tenant_data(self.database, platform=platform, tenant=tenant)


@dataclass(frozen=True)
class Services:
    """Everything an adapter or command needs, wired together.

    ``waves`` holds the wave use cases' collaborators (the pepper resolved once, the
    delivery lease of ``DELIVERY_LEASE_SECONDS``); every wave path (chat survey
    administration, the scheduler, the command line, the send API) shares this one.
    """

    settings: Settings
    database: Database
    catalogs: Catalogs
    engine: Engine
    reports: Reports
    clock: Callable[[], datetime]
    metrics: Metrics
    admin: SurveyAdmin
    waves: WaveDeps
    removal: TenantRemoval
    commands: Commands
    """Every ``/nps`` command, routed to the engine or survey administration."""
    role_labels: RoleLabels
    """Which platform roles label answers (Discord's ``/nps segments``)."""
    viewers: ScopedViewers
    """Who may read which group's report (shared by admins, from chat or the CLI)."""
    replies: ReplyAdmin
    """Admins' replies to quoted comments (the respondent's side is on the engine)."""
    actions: ActionPlans
    """Each survey's action plan (from chat or the CLI)."""
    notes: WaveNotes
    """The "you said, we did" text of each survey's next wave."""
    paces: Paces
    """Each tenant's pace of sends: shared by every replica on PostgreSQL, this process's
    own on SQLite (chosen by the database URL)."""


async def build_services(
    settings: Settings, *, migrate: bool, clock: Callable[[], datetime] = utc_now
) -> Services:
    """Check the pepper, open (and optionally migrate) the database, wire the use cases.

    With ``migrate`` the schema is created or brought up to date (commands that store
    something); without it (commands that only read) a database without the schema is
    refused before anything is written, the local pepper file included.

    Raises ``ConfigurationError`` or ``DatabaseError`` with a one-line message.
    """
    database = Database(
        settings.database_url, pool_wait_seconds=settings.database_pool_wait_seconds
    )
    try:
        if not migrate:
            # A command that only reads leaves nothing behind where there is no database.
            await database.check_ready(expected_revision=head_revision())
        pepper, warning = resolve_pepper(settings)
        if warning:
            log.warning(warning)
        if migrate:
            await upgrade(settings.database_url)
            await database.check_ready(expected_revision=head_revision())
    except BaseException:
        await database.dispose()
        raise
    catalogs = Catalogs()
    reports = Reports(handles=PersonKeys(pepper).handles)
    deps = WaveDeps(
        database=database,
        catalogs=catalogs,
        reports=reports,
        pepper=pepper,
        clock=clock,
        default_locale=settings.default_locale,
        claim_lease=timedelta(seconds=settings.delivery_lease_seconds),
        send_timeout=timedelta(seconds=settings.send_timeout_seconds),
    )
    notice = lease_warning(lease=deps.claim_lease, send_timeout=deps.send_timeout)
    if notice:
        log.warning(notice)
    defaults = SurveyDefaults(
        kind=settings.survey_kind,
        subject=settings.survey_subject,
        reason_retention_months=settings.reason_retention_months,
        drivers=parse_drivers(settings.survey_drivers),
    )
    engine = Engine(deps, defaults=defaults)
    metrics = Metrics()
    metrics.watch_database(database)
    admin = SurveyAdmin(deps)
    viewers = ScopedViewers(deps)
    replies = ReplyAdmin(deps)
    actions = ActionPlans(deps)
    notes = WaveNotes(deps)
    waves = deps
    return Services(
        settings=settings,
        database=database,
        catalogs=catalogs,
        engine=engine,
        reports=reports,
        clock=clock,
        metrics=metrics,
        admin=admin,
        waves=waves,
        removal=TenantRemoval(database),
        commands=Commands(
            engine=engine,
            admin=admin,
            viewers=viewers,
            replies=replies,
            actions=actions,
            notes=notes,
        ),
        role_labels=RoleLabels(deps, defaults=defaults),
        viewers=viewers,
        replies=replies,
        actions=actions,
        notes=notes,
        paces=Paces(database),
    )
