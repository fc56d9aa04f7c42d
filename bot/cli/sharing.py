"""``nps-bot survey share|unshare|shares``: one group's report for one person."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.running import fail, out
from bot.cli.survey_runs import Name, Platform, Tenant, run, tenant_named

if TYPE_CHECKING:
    from bot.runtime.services import Services
    from storage.models import ScopedViewer

User = Annotated[str, typer.Option("--user", help="The person's platform user id.")]


def share(
    name: Name,
    platform: Platform,
    user: User,
    group: Annotated[str, typer.Argument(help="The group they may read: LABEL=VALUE.")],
    tenant: Tenant = None,
) -> None:
    """Share a survey's report for one group (e.g. team=eng) with one person.

    The person's user id becomes their respondent key; the id itself is not stored."""

    label, sep, value = (part.strip() for part in group.partition("="))
    if not sep or not label or not value:
        fail(f"expected LABEL=VALUE, got {group!r}", code=2)

    async def work(s: Services) -> bool:
        where = await tenant_named(s, platform, tenant)
        return await s.viewers.grant(
            platform=platform, tenant=where, name=name, viewer=user, label=label, value=value
        )

    fresh = run(work)
    done = "shared" if fresh else "moved the share to"
    out().print(f"{done} {label}={value} of survey {name}", highlight=False)


def unshare(name: Name, platform: Platform, user: User, tenant: Tenant = None) -> None:
    """Stop sharing a survey's report with one person."""

    async def work(s: Services) -> bool:
        where = await tenant_named(s, platform, tenant)
        return await s.viewers.end(platform=platform, tenant=where, name=name, viewer=user)

    ended = run(work)
    out().print(
        f"{'stopped sharing' if ended else 'was not sharing'} survey {name}", highlight=False
    )


def shares(name: Name, platform: Platform, tenant: Tenant = None) -> None:
    """List whom a survey's report is shared with: each group, a fingerprint of the key."""
    from rich.table import Table

    from bot.domain.labels import group_text
    from bot.usecases.viewers import fingerprint

    async def work(s: Services) -> list[ScopedViewer]:
        where = await tenant_named(s, platform, tenant)
        return await s.viewers.shares(platform=platform, tenant=where, name=name)

    found = run(work, migrate=False)
    table = Table("group", "viewer", "since")
    for row in found:
        table.add_row(group_text(row.label, row.value), fingerprint(row), row.shared_on.isoformat())
    out().print(table)
