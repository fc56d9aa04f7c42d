"""The one way a use case finds (and on first sight creates) the tenant it acts for.

A tenant is a platform and its workspace/guild id. Whichever path sees a workspace
first (a person's ``/nps``, an admin creating a survey in chat or from the CLI, a wave,
an import), the row it creates is the same: stored with the configured
``DEFAULT_LOCALE``. Creation is race-safe (the unique key decides, see
:func:`storage.tenants.get_or_create_tenant`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.audiences import ID_LIMIT, is_platform_id
from bot.domain.errors import SurveyError
from bot.ports.reach import Reach
from bot.usecases.context import WaveDeps
from storage import tenants as tenant_store
from storage.models import Tenant


async def tenant_of(
    session: AsyncSession, *, platform: str, external_id: str, default_locale: str, now: datetime
) -> Tenant:
    """The tenant of ``platform``/``external_id``, created with ``default_locale`` (the
    configured ``DEFAULT_LOCALE``) when it is seen for the first time.

    An id an operator typed is checked first (:class:`SurveyError`): an empty one, one
    longer than the column holds, or one with a space or an invisible character names
    no workspace and must not become a tenant."""
    if not is_platform_id(external_id):
        raise SurveyError(
            f"a workspace or guild id is 1 to {ID_LIMIT} letters, digits and _ . : -, "
            "with no space",
            key="admin.error.tenant",
            limit=ID_LIMIT,
        )
    return await tenant_store.get_or_create_tenant(
        session, platform=platform, external_id=external_id, locale=default_locale, now=now
    )


async def reach_tenant(session: AsyncSession, deps: WaveDeps, reach: Reach) -> Tenant:
    """The tenant a platform connection speaks for."""
    return await tenant_of(
        session,
        platform=reach.platform.name,
        external_id=reach.tenant,
        default_locale=deps.default_locale,
        now=deps.clock(),
    )
