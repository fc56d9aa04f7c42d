"""Deleting a tenant's survey data when a platform says the bot was removed from it."""

from __future__ import annotations

import logging

from storage.database import Database
from storage.tenant_removal import remove_tenant

log = logging.getLogger(__name__)


async def delete_tenant_data(database: Database, *, platform: str, tenant: str) -> int:
    """Remove every row of ``platform``/``tenant`` (surveys, waves, invitations, asks,
    opt-outs, answers, digests and the tenant itself) in one transaction.

    Returns the number of rows removed; nothing is removed if any deletion fails.
    """
    async with database.transaction() as session:
        removed = await remove_tenant(session, platform=platform, external_id=tenant)
    log.info("deleted the data of a removed %s workspace (%d rows)", platform, removed)
    return removed
