"""The ``nps-bot`` command line (Typer)."""

from __future__ import annotations

import getpass
import json
import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli import running
from bot.cli.adapters import add_adapter_commands
from bot.cli.lazy import LazyGroup
from bot.cli.options import PlatformOption, TenantOption
from bot.cli.running import err, fail, out
from bot.cli.scope import (
    TenantScope,
    check_survey,
    tenant_id,
)
from bot.cli.transfer import export, import_csv
from storage.periods import PeriodKind

if TYPE_CHECKING:
    from bot.i18n import Translator
    from bot.report.model import SurveyReport
    from bot.runtime.plugins import AdapterPlugin
    from bot.runtime.services import Services

# Plain help: Typer's rich help labels every flag "<bool>". The sub-apps (survey, people,
# replies, actions) load when asked for, see bot.cli.lazy.
app = typer.Typer(
    cls=LazyGroup,
    help="Net Promoter Score surveys in Slack, Discord and the terminal.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(db_app, name="db")
add_adapter_commands(app)


def main() -> None:
    try:
        _check_arguments(sys.argv[1:])
    except typer.Exit as stop:
        raise SystemExit(stop.exit_code) from None
    app()


def _check_arguments(arguments: list[str]) -> None:
    """Refuse an argument whose bytes are not UTF-8 (Python holds them as surrogates),
    before any command reads it: no database, platform or terminal can take it."""
    for argument in arguments:
        try:
            argument.encode()
        except UnicodeEncodeError:
            typed = repr(os.fsencode(argument))[1:]
        else:
            continue
        fail(f"{typed} is not UTF-8 text: type it again in UTF-8", code=2)


def _parse_segments(pairs: list[str]) -> dict[str, str]:
    """``KEY=VALUE`` labels as a platform gives them: a label name, and a value kept as
    every source's is (:func:`bot.domain.labels.clean_value`)."""
    from bot.domain.labels import clean_value, is_label_name

    segments: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        cleaned = clean_value(value)
        if not sep or not key.strip() or cleaned is None:
            fail(f"--segment takes KEY=VALUE, got {pair!r}", code=2)
        if not is_label_name(key.strip()):
            fail(f"--segment takes a label name (a-z, 0-9, _), got {key.strip()!r}", code=2)
        segments[key.strip()] = cleaned
    return segments


def _check_locale(locale: str | None) -> None:
    """Refuse a language no catalog speaks (``jp`` for ``ja``), which would otherwise
    fall back to English without a word."""
    from bot.i18n import SUPPORTED

    if locale is not None and locale.replace("_", "-").split("-")[0].lower() not in SUPPORTED:
        fail(f"--locale takes {' or '.join(SUPPORTED)}, got {locale!r}", code=2)


@app.command()
def run() -> None:
    """Connect every configured platform; with none, talk on this console (SQLite default)."""
    from bot.runtime.context import Terminal
    from bot.runtime.plugins import discover
    from bot.runtime.serving import serve_platforms, serve_terminal
    from bot.runtime.settings import ConfigurationError

    settings = running.settings()
    running.configure_logging(settings)
    # The console is imported only when no platform is configured: a serving process
    # never talks on a terminal.
    plugins = discover(skipping=("console",))
    try:
        chosen = [p for p in plugins.values() if p.configured()]
    except ConfigurationError as error:
        fail(str(error))

    async def serve(services: Services) -> None:
        if chosen:
            await serve_platforms(services, chosen)
            return
        user = console_user()
        err().print(
            f"No Slack or Discord token is configured: talking on this console as {user} "
            f"({settings.database_url}). Send /nps help for the commands.",
            highlight=False,
            soft_wrap=True,
        )
        terminal = Terminal(user=user, admin=True)
        await serve_terminal(services, _console(), terminal)

    running.in_loop(lambda: running.with_services(settings, migrate=True, use=serve))


CONSOLE_OPERATOR = "operator"


def console_user() -> str:
    """Who talks on the console ``run`` opens: the operating system's user name as an id,
    held to the rule of ``console --user`` (one word of ASCII letters, digits and
    ``_ . : -``) so that a share or an action's owner given on the command line can name
    them: each run of other characters becomes one ``_``. ``operator`` when nothing is
    left, or when the system cannot say (a container's user with no name)."""
    import re

    from bot.domain.audiences import ID_LIMIT, is_platform_id

    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        return CONSOLE_OPERATOR
    cleaned = re.sub(r"[^A-Za-z0-9_.:-]+", "_", name).strip("_")[:ID_LIMIT]
    return cleaned if is_platform_id(cleaned) else CONSOLE_OPERATOR


@app.command()
def console(
    user: Annotated[
        str,
        typer.Option(help="Who is talking (never stored): letters, digits and _ . : -"),
    ],
    locale: Annotated[str | None, typer.Option(help="Language: en or ja.")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="Allow /nps report.")] = False,
    segment: Annotated[
        list[str] | None,
        typer.Option(help="A segment label KEY=VALUE carried by the answer (repeatable)."),
    ] = None,
) -> None:
    """Hold a survey conversation on stdin/stdout (works with piped input)."""
    from bot.domain.audiences import ID_LIMIT, is_platform_id
    from bot.runtime.context import Terminal
    from bot.runtime.serving import serve_terminal

    _check_locale(locale)
    # The name is the console person's user id: held to the shape every id has, so that
    # a share or an action's owner given on the command line can name this person.
    if not is_platform_id(user):
        fail(
            "--user takes who is talking, one word of ASCII letters, digits and _ . : -"
            f" (at most {ID_LIMIT}), got {user!r}",
            code=2,
        )
    settings = running.settings()
    running.configure_logging(settings)
    terminal = Terminal(
        user=user, admin=admin, locale=locale, segments=_parse_segments(segment or [])
    )
    plugin = _console()
    running.in_loop(
        lambda: running.with_services(
            settings,
            migrate=True,
            use=lambda services: serve_terminal(services, plugin, terminal),
        )
    )


def _console() -> AdapterPlugin:
    from bot.runtime.plugins import load_plugin

    plugin = load_plugin("console")
    if plugin is None:
        fail("the console adapter is not installed")
    return plugin


@app.command()
def report(
    survey: Annotated[str | None, typer.Option(help="Only this survey (by name).")] = None,
    by: Annotated[
        str | None, typer.Option(help="Break down by this segment label (e.g. team).")
    ] = None,
    period: Annotated[
        PeriodKind, typer.Option(help="Group the trend by month, quarter or wave.")
    ] = PeriodKind.MONTH,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per survey.")] = False,
    quotes: Annotated[
        bool, typer.Option("--quotes", help="Include sample reasons (above the threshold).")
    ] = False,
    platform: PlatformOption = None,
    tenant: TenantOption = None,
) -> None:
    """Print the current results of every survey (of one tenant with --platform)."""
    from bot.cli.output import print_reports
    from bot.domain.labels import label_fault
    from bot.i18n import Catalogs
    from bot.report.model import ReportRequest

    scope = TenantScope.from_options(platform=platform, tenant=tenant)
    settings = running.settings()
    running.configure_logging(settings)
    if by and label_fault(by) is not None:
        fail(Catalogs().translator(settings.default_locale)("report.label_characters"), code=2)
    request = ReportRequest(survey=survey, by=by, period=period.value, quotes=quotes)

    async def build(services: Services) -> tuple[list[SurveyReport], Translator]:
        async with services.database.transaction() as session:
            scoped = await tenant_id(session, scope)
            await check_survey(session, survey, scoped)
            reports = await services.reports.all_reports(
                session, request=request, today=services.clock().date(), tenant_id=scoped
            )
        return reports, services.catalogs.translator(settings.default_locale)

    reports, translator = running.in_loop(
        lambda: running.with_services(settings, migrate=False, use=build)
    )
    if as_json:
        for item in reports:
            typer.echo(json.dumps(item.to_json(), ensure_ascii=False))
        return
    print_reports(out(), reports, translator)


app.command("import")(import_csv)
app.command()(export)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or update the database schema to this version."""
    from storage.migrate import head_revision, upgrade

    settings = running.settings()
    running.configure_logging(settings)

    before = running.in_loop(lambda: upgrade(settings.database_url))
    head = head_revision()
    if before is None:
        message = f"created the database schema (revision {head})"
    elif before == head:
        message = "database is up to date"
    else:
        message = f"upgraded the database schema from revision {before} to {head}"
    err().print(message, highlight=False)
