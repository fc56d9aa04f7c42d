"""Terminal output of the ``report``, ``import`` and ``export`` commands.

Report tables are drawn from the same :class:`~bot.views.common.ReportView` the chat adapters
get, in the installation's default language, so the terminal shows the catalog's words.
Every cell is a :class:`rich.text.Text`, never markup, so a reason cannot restyle the
terminal.
"""

from __future__ import annotations

import csv
import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from bot.cli.options import ExportFormat
from bot.cli.running import err, fail, warn
from bot.domain.csv_rows import EARLIEST_DAY, Problem, ProblemCode

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.i18n import Translator
    from bot.report.model import SurveyReport


PROGRESS_FROM = 10_000
"""Imports of at least this many answers show a progress bar."""


def print_reports(out: Console, reports: list[SurveyReport], t: Translator) -> None:
    """Each survey's report as its title, its tenant, a headline and one table per
    section."""
    from bot.report.render import render_report

    if not reports:
        out.print("No surveys yet.")
        return
    for report in reports:
        view = render_report(report, t, charts=False)
        out.print(Text(view.title, style="bold"))
        if report.platform is not None and report.tenant is not None:
            out.print(Text(t("scope.tenant", platform=report.platform, tenant=report.tenant)))
        out.print(Text(view.headline))
        for section in view.sections:
            table = Table(title=Text(section.title), show_header=False, title_justify="left")
            table.add_column()
            table.add_column()
            for row in section.rows:
                table.add_row(Text(row.label), Text(row.value))
            if section.rows:
                out.print(table)
            else:
                out.print(Text(section.title, style="bold"))
            for note in section.notes:
                out.print(Text("  " + note))
        out.print()


_PROBLEMS = {
    ProblemCode.EMPTY_FILE: "the file is empty: it needs a header row (date,score,…)",
    ProblemCode.MISSING_COLUMN: "the header has no {column!r} column",
    ProblemCode.DUPLICATE_COLUMN: "the header names {column!r} twice",
    ProblemCode.BLANK_COLUMN: "the header has a column without a name",
    ProblemCode.WRONG_WIDTH: "{value} cells where the header has a different number",
    ProblemCode.BAD_DATE: "date {value!r} is not an ISO date (YYYY-MM-DD)",
    ProblemCode.FUTURE_DATE: "date {value!r} is in the future",
    ProblemCode.PAST_DATE: f"date {{value!r}} is before {EARLIEST_DAY}: a slip, or an empty date",
    ProblemCode.BAD_SCORE: "score {value!r} is not a whole number from 0 to 10",
    ProblemCode.REASON_TOO_LONG: "the reason has {value} characters (at most 2000)",
    ProblemCode.VALUE_TOO_LONG: "{column!r} value {value!r} is too long",
    ProblemCode.NOT_CSV: "not a readable CSV file: {value}",
    ProblemCode.UNCLOSED_QUOTE: (
        "a quote opened here is never closed, so every line after it would be read into "
        'one cell: close it ("…") or remove it'
    ),
    ProblemCode.MISSING_PERSON_COLUMN: (
        "the header needs a 'user' column (platform user ids) or an 'email' column"
    ),
    ProblemCode.TWO_START_COLUMNS: "the header has both 'hire_date' and 'start_date': keep one",
    ProblemCode.NO_PERSON: "neither a user nor an email is given",
    ProblemCode.NO_ONE: (
        "the file names no one, so the roster is left as it was: it needs a header "
        "(user or email, then labels such as team) and a line for each person; "
        "nps-bot people clear empties the roster"
    ),
    ProblemCode.BAD_USER: (
        "user {value!r} is no platform user id (letters and digits, such as U0123ABCD on "
        "Slack or a Discord id): a handle or name is not one; give the email instead"
    ),
    ProblemCode.DUPLICATE_PERSON: "this person ({column}) is already on line {value}",
    ProblemCode.UNKNOWN_EMAIL: "no member of the workspace has the email {value!r}",
    ProblemCode.UNKNOWN_SURVEY: (
        "there is no survey {value!r} in this tenant (see nps-bot survey list): "
        "import only into a survey that exists"
    ),
    ProblemCode.BAD_SURVEY_NAME: (
        "survey {value!r} is no survey name: only visible characters and spaces, "
        "no line break, tab or space at either end"
    ),
}


PROBLEMS_LISTED = 100
"""The most problems of a refused file listed one a line; the rest are counted. A file
of the wrong kind can have a problem on each of its hundred thousand lines, and the
first hundred tell what to mend."""


def refuse_file(file: Path, problems: Sequence[Problem], t: Translator) -> NoReturn:
    """List ``problems`` (the first :data:`PROBLEMS_LISTED`, then how many more) on
    standard error and end the command: nothing was imported."""
    for problem in problems[:PROBLEMS_LISTED]:
        err().print(describe_problem(problem), highlight=False)
    unlisted = len(problems) - PROBLEMS_LISTED
    if unlisted > 0:
        err().print(t.plural("cli.import.more_problems", unlisted), highlight=False)
    fail(t.plural("cli.import.problems", len(problems), file=file))


def describe_problem(problem: Problem) -> str:
    """One line for one problem, e.g. ``line 4: score '11' is not … from 0 to 10``."""
    text = _PROBLEMS[problem.code].format(column=problem.column, value=problem.value)
    return f"line {problem.line}: {text}" if problem.line else text


@contextmanager
def import_progress(
    total: int, *, console: Console, from_total: int = PROGRESS_FROM, doing: str = "importing"
) -> Iterator[Callable[[int], None]]:
    """Yield an ``advance(count)`` callback; a progress bar shows for imports of at least
    ``from_total`` items."""
    if total < from_total:
        yield lambda _count: None
        return
    columns = (
        TextColumn(doing),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("import", total=total)
        yield lambda count: progress.advance(task, count)


RAW_EXPORT_WARNING = (
    "--raw exports every label and reason, even of groups under k: people in small groups"
    " can be identified. Share it with care."
)


async def write_export(
    session: AsyncSession,
    *,
    survey: str | None,
    raw: bool,
    output_format: ExportFormat,
    out: TextIO,
    tenant_id: uuid.UUID | None = None,
) -> None:
    """Write every allowed answer (of one tenant's surveys with ``tenant_id``) as CSV
    (header first) or JSON lines to ``out``; with ``raw``, every answer, after
    :data:`RAW_EXPORT_WARNING` on standard error.

    CSV text cells, the header's label names included, are quoted and neutralised
    (:mod:`bot.domain.csv_cells`) so a spreadsheet runs none of them as a formula; the
    score is written as a bare number. JSON lines hold the text as it is.
    """
    from bot.domain.csv_cells import inert_row
    from bot.usecases.transfer.exporter import FIXED_COLUMNS, export_rows, plan_exports

    plans = await plan_exports(session, survey=survey, raw=raw, tenant_id=tenant_id)
    if raw:  # once the export is sure to be written, not before a refusal
        warn(RAW_EXPORT_WARNING)
    labels = sorted({label for plan in plans for label in plan.labels} - set(FIXED_COLUMNS))
    columns = [*FIXED_COLUMNS, *labels]
    writer = None
    if output_format is ExportFormat.CSV:
        # Every cell but a number quoted: nothing after a neutralising quote can end it.
        writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        writer.writerow(inert_row(columns))
    for plan in plans:
        async for row in export_rows(session, plan):
            record = row.as_record()
            if writer is not None:
                writer.writerow(inert_row(record.get(column) for column in columns))
            else:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
