"""``nps-bot import`` and ``nps-bot export``: answers from a CSV file into a tenant's
surveys, all or nothing, and the anonymized answers out again.

Registered on the root app by :mod:`bot.cli.main`; the runtime is imported when a
command runs, not when the help is read.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli import running
from bot.cli.options import ExportFormat, PlatformOption, TenantOption
from bot.cli.running import err, fail
from bot.cli.scope import TenantScope, check_survey, pick_a_tenant, tenant_id

if TYPE_CHECKING:
    from bot.domain.csv_rows import Parsed
    from bot.runtime.services import Services


def import_csv(
    file: Annotated[Path, typer.Argument(help="CSV with a header row: date, score, …")],
    platform: PlatformOption = None,
    tenant: TenantOption = None,
    survey: Annotated[
        str | None,
        typer.Option(help="The survey of answers without a survey column (it must exist)."),
    ] = None,
    create_surveys: Annotated[
        bool,
        typer.Option("--create-surveys", help="Create the surveys the file names if missing."),
    ] = False,
) -> None:
    """Import answers from CSV (UTF-8, UTF-16 or Shift_JIS) into the console installation,
    or a tenant's surveys with --platform, all or nothing."""
    from bot.cli.output import describe_problem, import_progress, refuse_file
    from bot.domain.csv_rows import Problem, ProblemCode
    from bot.domain.errors import SurveyError
    from bot.domain.surveys import DEFAULT_SURVEY
    from bot.i18n import Catalogs
    from bot.usecases.transfer.importer import (
        CONSOLE_PLATFORM,
        ImportTargetMissing,
        import_answers,
    )

    scope = TenantScope.from_options(platform=platform, tenant=tenant)
    settings = running.settings()
    running.configure_logging(settings)
    parsed = _read_answers(file, survey=survey or DEFAULT_SURVEY)
    if parsed.problems:
        refuse_file(file, parsed.problems, Catalogs().translator(settings.default_locale))
    target = scope or TenantScope(platform=CONSOLE_PLATFORM)

    async def store(services: Services) -> dict[str, int]:
        with import_progress(len(parsed.answers), console=err()) as advance:
            async with services.database.transaction() as session:
                return await import_answers(
                    session,
                    answers=parsed.answers,
                    kind=settings.survey_kind,
                    subject=settings.survey_subject,
                    default_locale=settings.default_locale,
                    now=services.clock(),
                    progress=advance,
                    platform=target.platform,
                    tenant=await target.resolved(session),
                    create_surveys=create_surveys,
                )

    try:
        stored = running.in_loop(lambda: running.with_services(settings, migrate=True, use=store))
    except ImportTargetMissing as error:
        for name in error.surveys:
            problem = Problem(line=0, code=ProblemCode.UNKNOWN_SURVEY, value=name)
            err().print(describe_problem(problem), highlight=False, markup=False)
        fail(f"{error}: nothing was imported")
    except SurveyError as error:  # a tenant id that names no workspace
        fail(f"{error}: nothing was imported")
    t = Catalogs().translator(settings.default_locale)
    for name, count in stored.items():
        err().print(t.plural("cli.imported", count, survey=repr(name)), highlight=False)
    if not stored:
        err().print(t("cli.import.empty"), highlight=False)


def _read_answers(file: Path, *, survey: str) -> Parsed:
    """The answers of ``file`` (or its problems), the survey of a line without one
    ``survey``; the file's text is let go once read, before the answers are stored."""
    from bot.cli.files import UnreadableFile, csv_text
    from bot.domain.csv_rows import parse_answers
    from bot.domain.csv_text import lines_of

    try:
        text = csv_text(file)
    except UnreadableFile as error:
        fail(str(error))
    # Lines end where the file's own line breaks are; csv reads quoted ones inside cells.
    return parse_answers(lines_of(text), today=date.today(), default_survey=survey)


def export(
    output_format: Annotated[
        ExportFormat, typer.Option("--format", help="csv, or json (one object per line).")
    ],
    survey: Annotated[str | None, typer.Option(help="Only this survey (by name).")] = None,
    raw: Annotated[
        bool, typer.Option("--raw", help="Skip the small-group protections (see the warning).")
    ] = False,
    platform: PlatformOption = None,
    tenant: TenantOption = None,
) -> None:
    """Print anonymized answers (of one tenant with --platform, needed for a survey name
    two tenants use); groups under k are blanked unless --raw."""
    from bot.cli.output import write_export
    from bot.usecases.transfer.exporter import NameInTenants

    scope = TenantScope.from_options(platform=platform, tenant=tenant)
    settings = running.settings()
    running.configure_logging(settings)

    async def write(services: Services) -> None:
        async with services.database.transaction() as session:
            scoped = await tenant_id(session, scope)
            await check_survey(session, survey, scoped)
            await write_export(
                session,
                survey=survey,
                raw=raw,
                output_format=output_format,
                out=sys.stdout,
                tenant_id=scoped,
            )

    try:
        running.in_loop(lambda: running.with_services(settings, migrate=False, use=write))
    except NameInTenants as error:
        fail(pick_a_tenant(error.places))
