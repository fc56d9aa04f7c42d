"""``nps-bot survey …``: create, edit, list, inspect, start, close, send and delete surveys.

Commands that reach people (start, close, send) need a platform connection. They load
the adapter plugin named by ``--platform`` (that one only) and ask it for one through
:class:`~bot.runtime.plugins.ReachProvider`; a plugin without it cannot deliver surveys
from the command line.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bot.domain.drivers import parse_drivers
from bot.domain.errors import SurveyError
from bot.i18n import Catalogs, Translator
from bot.ports.reach import Reach
from bot.runtime.plugins import ReachProvider, load_plugin
from bot.runtime.services import Services, build_services
from bot.runtime.settings import ConfigurationError, Settings, load_settings
from bot.usecases.sending import send_one
from bot.usecases.surveys import (
    SurveySpec,
    close_survey,
    create_survey,
    edit_survey,
    list_surveys,
    remove_survey,
    start_survey,
    survey_status,
)
from storage.database import DatabaseError

survey_app = typer.Typer(help="Manage surveys that run themselves.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)
T = TypeVar("T")

Platform = Annotated[str, typer.Option(help="The platform: slack or discord.")]
Tenant = Annotated[str, typer.Option(help="The workspace or guild id.")]
Name = Annotated[str, typer.Option("--survey", help="The survey's name.")]


def _fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _settings() -> Settings:
    try:
        return load_settings(Settings)
    except ConfigurationError as error:
        _fail(str(error))


def _words() -> Translator:
    """The command line's words, in the installation's default language."""
    return Catalogs().translator(_settings().default_locale)


def _run(use: Callable[[Services], Awaitable[T]], *, migrate: bool = True) -> T:
    """Run ``use`` with the services; ``migrate=False`` for the commands that only read
    (they create no database where there is none)."""

    async def work() -> T:
        services = await build_services(_settings(), migrate=migrate)
        try:
            return await use(services)
        finally:
            await services.database.dispose()

    try:
        return asyncio.run(work())
    except (ConfigurationError, DatabaseError, SurveyError) as error:
        _fail(str(error))


@asynccontextmanager
async def _reach(services: Services, platform: str) -> AsyncIterator[Reach]:
    plugin = load_plugin(platform)
    if plugin is None:
        raise SurveyError(
            f"no adapter called {platform!r} is installed",
            key="admin.error.no_adapter",
            platform=platform,
        )
    if not isinstance(plugin, ReachProvider):
        raise SurveyError(
            f"the {platform} adapter cannot deliver surveys from the command line",
            key="admin.error.cannot_deliver",
            platform=platform,
        )
    async with plugin.open_reach(services) as reach:
        yield reach


def _drivers(text: str) -> list[dict[str, str]]:
    """``--drivers "growth=Growth,manager=My manager"`` as the survey stores it."""
    try:
        return [question.to_json() for question in parse_drivers(text)]
    except ValueError as error:
        _fail(str(error), code=2)


Drivers = Annotated[
    str | None,
    typer.Option(
        help="Up to five optional 1-5 questions asked after the reason, KEY=LABEL: "
        '"growth=Growth,manager=My manager" ("" removes them).'
    ),
]


def _pairs(items: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            _fail(f"expected KEY=VALUE, got {item!r}", code=2)
        found[key.strip()] = value.strip()
    return found


@survey_app.command()
def create(
    name: Name,
    platform: Platform,
    tenant: Tenant,
    kind: Annotated[str, typer.Option(help="nps or enps.")] = "nps",
    subject: Annotated[str, typer.Option(help="What people are asked to recommend.")] = "",
    audience: Annotated[
        list[str] | None,
        typer.Option(
            help="Audience KEY=VALUE: everyone=yes (default), channel=C123, usergroup=S123 "
            "(Slack), role=123 or users=1,2 (Discord)."
        ),
    ] = None,
    cadence: Annotated[str | None, typer.Option(help="A crontab line (survey time).")] = None,
    window_days: Annotated[int, typer.Option(help="Days a wave stays open.")] = 14,
    k: Annotated[int, typer.Option(help="Smallest group a report shows.")] = 5,
    cap: Annotated[int, typer.Option(help="Most asks per person per year.")] = 2,
    digest_channel: Annotated[str | None, typer.Option(help="Where digests go.")] = None,
    timezone: Annotated[str, typer.Option(help="The survey's time zone.")] = "UTC",
    locale: Annotated[str, typer.Option(help="en or ja.")] = "en",
    digest_cadence: Annotated[
        str | None, typer.Option(help="A crontab line for periodic digests (survey time).")
    ] = None,
    alert_channel: Annotated[
        str | None, typer.Option(help="A private admin channel for closed-loop alerts.")
    ] = None,
    drivers: Drivers = None,
) -> None:
    """Create a survey."""
    spec = SurveySpec(
        name=name,
        kind=kind,
        subject=subject,
        audience=_pairs(audience or ["everyone=yes"]),
        cadence=cadence,
        window_days=window_days,
        k_min=k,
        cap_max_asks=cap,
        digest_channel=digest_channel,
        timezone=timezone,
        locale=locale,
        digest_cadence=digest_cadence,
        alert_channel=alert_channel,
        drivers=_drivers(drivers or ""),
    )
    _run(
        lambda s: create_survey(
            s.database,
            platform=platform,
            tenant=tenant,
            spec=spec,
            now=s.clock(),
            default_locale=s.settings.default_locale,
        )
    )
    out.print(f"created survey {name}", highlight=False)


@survey_app.command()
def edit(
    name: Name,
    platform: Platform,
    tenant: Tenant,
    setting: Annotated[
        list[str] | None,
        typer.Option("--set", help="SETTING=VALUE, e.g. k_min=7 (repeatable)."),
    ] = None,
    drivers: Drivers = None,
) -> None:
    """Change a survey's settings."""
    changes: dict[str, Any] = {}
    if drivers is not None:
        changes["drivers"] = _drivers(drivers)
    for key, value in _pairs(setting or []).items():
        if key == "audience":
            changes[key] = _pairs(value.split(",")) if value else {}
        elif key in {"window_days", "k_min", "cap_max_asks", "reminders"}:
            changes[key] = int(value)
        else:
            changes[key] = value or None
    _run(
        lambda s: edit_survey(
            s.database, platform=platform, tenant=tenant, name=name, changes=changes
        )
    )
    out.print(f"updated survey {name}", highlight=False)


@survey_app.command("list")
def list_() -> None:
    """List every survey."""
    rows = _run(lambda s: list_surveys(s.database), migrate=False)
    table = Table("platform", "tenant", "survey", "kind", "status", "cadence", "k")
    for survey, tenant in rows:
        table.add_row(
            tenant.platform,
            tenant.external_id,
            survey.name,
            survey.kind,
            survey.status,
            survey.cadence or "default",
            str(survey.k_min),
        )
    out.print(table)


@survey_app.command()
def status(name: Name, platform: Platform, tenant: Tenant) -> None:
    """Show a survey's newest wave and its invitations."""
    found = _run(
        lambda s: survey_status(s.database, platform=platform, tenant=tenant, name=name),
        migrate=False,
    )
    out.print(f"{found.survey.name}: {found.survey.status}, {found.answers} answers")
    if found.wave is None:
        out.print("no wave yet")
        return
    wave = found.wave
    out.print(f"newest wave: {wave.status}, {wave.opens_at:%Y-%m-%d} to {wave.closes_at:%Y-%m-%d}")
    for state, number in sorted(found.invitations.items()):
        out.print(f"  {state}: {number}")


@survey_app.command()
def start(name: Name, platform: Platform) -> None:
    """Open a wave now and deliver what is due (with a progress bar)."""

    async def work(services: Services) -> str:
        async with _reach(services, platform) as reach:
            with Progress(console=err, transient=True) as progress:
                task = progress.add_task("delivering", total=None)
                opened, report = await start_survey(
                    services.waves,
                    reach,
                    name=name,
                    progress=lambda done: progress.advance(task, done),
                )
        return (
            f"invited {opened.invited}; sent {report.sent}, failed {report.failed}; "
            "the rest is delivered in working hours by the running bot"
        )

    out.print(_run(work), highlight=False)


@survey_app.command()
def close(name: Name, platform: Platform) -> None:
    """Close the survey's open waves now."""

    async def work(services: Services) -> int:
        async with _reach(services, platform) as reach:
            return await close_survey(services.waves, reach, name=name)

    closed = _run(work)
    out.print(_words().plural("cli.closed", closed), highlight=False)


@survey_app.command()
def delete(
    name: Name,
    platform: Platform,
    tenant: Tenant,
    yes: Annotated[bool, typer.Option("--yes", help="Delete without asking.")] = False,
) -> None:
    """Delete a survey with its waves, invitations, asks, answers and digests."""
    if not yes:
        err.print(
            f"This deletes survey {name} and all its answers for good. To keep a copy, run "
            "`nps-bot export` first.",
            highlight=False,
        )
        typer.confirm(f"Delete survey {name}?", abort=True, err=True)
    deleted = _run(lambda s: remove_survey(s.database, platform=platform, tenant=tenant, name=name))
    t = _words()
    out.print(
        t(
            "cli.deleted",
            name=name,
            waves=t.plural("cli.count.waves", deleted.waves),
            invitations=t.plural("cli.count.invitations", deleted.invitations),
            answers=t.plural("cli.count.answers", deleted.responses),
        ),
        highlight=False,
    )


@survey_app.command()
def send(
    name: Name,
    platform: Platform,
    to: Annotated[str, typer.Option("--to", help="The person's platform user id.")],
) -> None:
    """Ask one person now, if they may be asked."""

    async def work(services: Services) -> bool:
        async with _reach(services, platform) as reach:
            return await send_one(services.waves, reach, name=name, user_id=to)

    out.print("sent" if _run(work) else "not eligible now")
