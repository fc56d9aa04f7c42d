"""``nps-bot people …``: the people directory's roster of one tenant.

``import`` reads a roster file (see :mod:`bot.domain.roster_rows` for its columns) in
whichever encoding a spreadsheet saved it (:mod:`bot.cli.files`), resolves emails
through the platform's adapter (:class:`~bot.runtime.plugins.EmailLookupProvider`; Slack
offers it), and replaces the tenant's roster, all or nothing. ``list`` and ``export``
show counts only: the directory holds respondent keys, never user ids or emails, so no
command can list people or give the file back.
"""

from __future__ import annotations

import csv
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from bot.cli.running import err, fail, out, run, words
from bot.cli.scope import TenantScope

if TYPE_CHECKING:
    from bot.domain.csv_rows import Problem
    from bot.domain.roster_rows import ParsedRoster
    from bot.ports.directory import EmailLookup
    from bot.runtime.services import Services
    from bot.usecases.people import (
        RosterCounts,
    )

people_app = typer.Typer(
    help="The people directory: labels (team, role, tenure…) from a roster file.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
T = TypeVar("T")

Platform = Annotated[str, typer.Option(help="The platform: slack or discord.")]
Tenant = Annotated[str, typer.Option(help="The workspace or guild id.")]

LOOKUP_PROGRESS_FROM = 20
"""Rosters that name at least this many people by email show a progress bar: each email
is one platform call, paced by the platform's rate limit."""


def _run(use: Callable[[Services], Awaitable[T]], *, migrate: bool) -> T:
    """Run ``use`` on the services; ``migrate`` for the verbs that store a roster, which
    create the schema on first use, while the others refuse where there is no database
    and leave no file behind (the first-run rule of every command)."""
    from bot.usecases.people import EmailsNeedLookup

    return run(use, migrate=migrate, refused=(EmailsNeedLookup,))


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


async def _tenant_id(services: Services, scope: TenantScope) -> uuid.UUID:
    async with services.database.transaction() as session:
        return await scope.tenant_id(session)


def _read(file: Path) -> ParsedRoster:
    from bot.cli.files import UnreadableFile, csv_text
    from bot.domain.csv_text import lines_of
    from bot.domain.roster_rows import parse_roster

    try:
        text = csv_text(file)
    except UnreadableFile as error:
        fail(str(error))
    # Lines end where the file's own line breaks are; csv reads quoted ones inside cells.
    return parse_roster(lines_of(text), today=date.today())


def _report_problems(file: Path, problems: tuple[Problem, ...]) -> NoReturn:
    from bot.cli.output import refuse_file

    refuse_file(file, problems, words())


@asynccontextmanager
async def _email_lookup(
    services: Services, platform: str, tenant: str, *, needed: bool
) -> AsyncIterator[EmailLookup | None]:
    """The platform's email look-up when ``needed`` (None when not, or not offered)."""
    from bot.runtime.plugins import EmailLookupProvider, load_plugin
    from bot.runtime.settings import ConfigurationError

    plugin = load_plugin(platform) if needed else None
    if not isinstance(plugin, EmailLookupProvider):
        yield None
        return
    async with plugin.open_email_lookup(services, tenant) as lookup:
        if lookup.tenant != tenant:
            raise ConfigurationError(
                f"the {platform} token speaks for {lookup.tenant!r}, not {tenant!r}: "
                "emails would be looked up in another workspace"
            )
        yield lookup


@people_app.command("import")
def import_people(
    file: Annotated[Path, typer.Argument(help="CSV with a header: user or email, team, …")],
    platform: Platform,
    tenant: Tenant,
) -> None:
    """Replace the tenant's roster with FILE, all or nothing (emails resolved on Slack)."""
    from bot.cli.output import import_progress
    from bot.usecases.people import resolve_users, store_roster

    scope = TenantScope(platform=platform, tenant=tenant)
    parsed = _read(file)
    if parsed.problems:
        _report_problems(file, parsed.problems)
    rows = parsed.rows
    emails = sum(1 for row in rows if row.user is None)

    async def store(services: Services) -> int:
        tenant_id = await _tenant_id(services, scope)
        async with _email_lookup(services, platform, tenant, needed=emails > 0) as lookup:
            with import_progress(
                emails, console=err(), from_total=LOOKUP_PROGRESS_FROM, doing="finding people"
            ) as advance:
                resolved = await resolve_users(rows, lookup=lookup, progress=advance)
        if resolved.problems:
            _report_problems(file, resolved.problems)
        async with services.database.transaction() as session:
            return await store_roster(
                session,
                pepper=services.waves.pepper,
                platform=platform,
                tenant=tenant,
                tenant_id=tenant_id,
                rows=rows,
                users=resolved.users,
            )

    stored = _run(store, migrate=True)
    err().print(
        f"the roster of {platform} {tenant!r} now holds {_people(stored)} "
        "(stored by respondent key, without user ids or emails)",
        highlight=False,
        soft_wrap=True,
    )


@people_app.command("list")
def list_people(platform: Platform, tenant: Tenant) -> None:
    """How many people carry each label value (never who)."""
    from bot.usecases.people import roster_counts

    scope = TenantScope(platform=platform, tenant=tenant)

    async def count(services: Services) -> RosterCounts:
        tenant_id = await _tenant_id(services, scope)
        async with services.database.transaction() as session:
            return await roster_counts(session, tenant_id=tenant_id, today=services.clock().date())

    counts = _run(count, migrate=False)
    from rich.table import Table
    from rich.text import Text

    out().print(Text(f"{_people(counts.people)} in the roster"))
    for name, values in counts.labels.items():
        table = Table(title=Text(name), show_header=False, title_justify="left", box=None)
        table.add_column()
        table.add_column(justify="right")
        for value, number in values.items():
            table.add_row(Text(value), Text(str(number)))
        out().print(table)


@people_app.command("export")
def export_people(platform: Platform, tenant: Tenant) -> None:
    """Each combination of labels with how many people have it, as CSV (the directory
    holds no user ids or emails, so the roster itself cannot be exported)."""
    from bot.domain.csv_cells import inert_row
    from bot.usecases.people import roster_combinations

    scope = TenantScope(platform=platform, tenant=tenant)

    async def combine(services: Services) -> tuple[tuple[dict[str, str], int], ...]:
        tenant_id = await _tenant_id(services, scope)
        async with services.database.transaction() as session:
            return await roster_combinations(
                session, tenant_id=tenant_id, today=services.clock().date()
            )

    combinations = _run(combine, migrate=False)
    names = sorted({name for labels, _ in combinations for name in labels})
    writer = csv.writer(sys.stdout, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    writer.writerow(inert_row([*names, "people"]))
    for labels, count in combinations:
        writer.writerow(inert_row([*(labels.get(name, "") for name in names), count]))


@people_app.command("clear")
def clear_people(platform: Platform, tenant: Tenant) -> None:
    """Delete the tenant's roster (asks already made keep the labels they were made with)."""
    from bot.usecases.people import clear_roster

    scope = TenantScope(platform=platform, tenant=tenant)

    async def clear(services: Services) -> int:
        tenant_id = await _tenant_id(services, scope)
        async with services.database.transaction() as session:
            return await clear_roster(session, tenant_id=tenant_id)

    cleared = _run(clear, migrate=False)
    err().print(
        f"the roster of {platform} {tenant!r} is empty ({cleared} removed)", highlight=False
    )
