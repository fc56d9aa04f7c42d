"""The ``nps-bot`` command line (Typer)."""

from __future__ import annotations

import asyncio
import getpass
import json
from collections.abc import Awaitable, Callable, Coroutine
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from bot.logs import configure_logging
from bot.pepper import ConfigurationError
from bot.plugins import AdapterPlugin, discover
from bot.report import ReportRequest, SurveyReport
from bot.services import Services, build_services
from bot.settings import Settings
from storage.database import DatabaseError
from storage.migrate import upgrade

app = typer.Typer(
    help="Net Promoter Score surveys in Slack, Discord and the terminal.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")

err = Console(stderr=True)
T = TypeVar("T")


def main() -> None:
    app()


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]).upper()
        _fail(f"invalid setting {field}: {first['msg']}")


def _fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _configure_logging(settings: Settings) -> None:
    configure_logging(settings.log_level, style=settings.log_format)


def _run(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``work`` on a fresh event loop, turning known failures into one error line."""
    try:
        return asyncio.run(work())
    except (ConfigurationError, DatabaseError) as error:
        _fail(str(error))
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


async def _with_services(
    settings: Settings, *, migrate: bool, use: Callable[[Services], Awaitable[T]]
) -> T:
    services = await build_services(settings, migrate=migrate)
    try:
        return await use(services)
    finally:
        await services.database.dispose()


def _parse_segments(pairs: list[str]) -> dict[str, str]:
    segments: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            _fail(f"--segment takes KEY=VALUE, got {pair!r}", code=2)
        segments[key.strip()] = value.strip()
    return segments


@app.command()
def run() -> None:
    """Connect every configured platform; with none, talk on this console (SQLite default)."""
    settings = _settings()
    _configure_logging(settings)
    plugins = discover()
    chosen = [p for name, p in plugins.items() if name != "console" and p.configured(settings)]

    async def serve(services: Services) -> None:
        if chosen:
            await asyncio.gather(*(plugin.serve(services, {}) for plugin in chosen))
            return
        err.print(
            "No Slack or Discord token is configured: talking on this console "
            f"({settings.database_url}). Send /nps help for the commands.",
            highlight=False,
        )
        await plugins["console"].serve(services, {"user": getpass.getuser(), "admin": True})

    _run(lambda: _with_services(settings, migrate=True, use=serve))


@app.command()
def console(
    user: Annotated[str, typer.Option(help="Who is talking (never stored).")],
    locale: Annotated[str | None, typer.Option(help="Language: en or ja.")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="Allow /nps report.")] = False,
    segment: Annotated[
        list[str] | None,
        typer.Option(help="A segment label KEY=VALUE carried by the answer (repeatable)."),
    ] = None,
) -> None:
    """Hold a survey conversation on stdin/stdout (works with piped input)."""
    settings = _settings()
    _configure_logging(settings)
    options = {
        "user": user,
        "locale": locale,
        "admin": admin,
        "segments": _parse_segments(segment or []),
    }
    plugin: AdapterPlugin = discover()["console"]
    _run(
        lambda: _with_services(
            settings, migrate=True, use=lambda services: plugin.serve(services, options)
        )
    )


@app.command()
def report(
    survey: Annotated[str | None, typer.Option(help="Only this survey (by name).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per survey.")] = False,
) -> None:
    """Print the current results of every survey."""
    settings = _settings()
    _configure_logging(settings)
    request = ReportRequest(survey=survey)

    async def build(services: Services) -> list[SurveyReport]:
        async with services.database.transaction() as session:
            return await services.reports.all_reports(
                session, request=request, today=services.clock().date()
            )

    reports = _run(lambda: _with_services(settings, migrate=False, use=build))
    if as_json:
        for item in reports:
            typer.echo(json.dumps(item.to_json(), ensure_ascii=False))
        return
    _print_reports(reports)


def _print_reports(reports: list[SurveyReport]) -> None:
    out = Console()
    if not reports:
        out.print("No surveys yet.")
        return
    table = Table("survey", "n", "NPS", "95 % interval", "promoters", "passives", "detractors")
    for item in reports:
        nps = "–" if item.nps is None else f"{item.nps:+.1f}"
        interval = (
            "–"
            if item.ci_low is None or item.ci_high is None
            else f"{item.ci_low:+.1f} … {item.ci_high:+.1f}"
        )
        table.add_row(
            item.survey,
            str(item.n),
            nps,
            interval,
            _count(item.promoters),
            _count(item.passives),
            _count(item.detractors),
        )
    out.print(table)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or update the database schema to this version."""
    settings = _settings()
    _configure_logging(settings)

    _run(lambda: upgrade(settings.database_url))
    err.print("database is up to date", highlight=False)


def _count(value: int | None) -> str:
    return "–" if value is None else str(value)
