"""Reading a roster from CSV: every problem found, with its line number (pure).

A roster names each person by a ``user`` column (the platform's user id: letters and
digits, as a mention carries it, so a handle such as ``@ann`` or a display name is
refused rather than stored under a key that matches no one) or an ``email`` column
(resolved to a user id by the platform), or both (a row then needs one of them); a
``hire_date`` or ``start_date`` column (ISO ``YYYY-MM-DD``, or ``YYYY/MM/DD``, no later
than the day after the import, nor before 1900: a later one is a typing slip, and a
person who has not started yet is added once they have) gives the start date a tenure
band is computed from; every other column is a label (``team``, ``role``, ``location``,
…), left off a person where its cell is empty. Header names are matched without regard to case and
label names are kept in lower case, so ``Team`` and ``team`` are one label. A file that
names no one is a problem: ``people clear`` empties a roster, not a slip such as a file
with its header only. Like the answers' import (:mod:`bot.domain.csv_rows`), a file is
all or nothing: :func:`parse_roster` returns either every row or every problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.domain.csv_cells import restore
from bot.domain.csv_rows import EARLIEST_DAY, Malformed, Problem, ProblemCode, records
from bot.domain.inputs import clean_text, parse_day
from bot.domain.labels import LABEL_LIMIT
from bot.domain.tenure import TENURE

USER, EMAIL = "user", "email"
START_COLUMNS = ("hire_date", "start_date")
PERSON_LIMIT = 254
"""The longest user id or email a cell may hold (an email's own limit)."""
USER_ID = re.compile(r"[A-Za-z0-9]{1,64}")
"""A platform user id: Slack's ``U0123ABCD``, a Discord snowflake, what a mention
carries (:func:`bot.domain.command_words.mentioned`)."""
AHEAD = timedelta(days=1)
"""How far past the import's day a start date may be: somewhere on Earth it is already
tomorrow, so a person starting today there is not refused."""


@dataclass(frozen=True)
class RosterRow:
    """One person of the file: ``user`` or ``email`` (at least one), their labels and
    start date; ``line`` is where the file names them (1 is the header)."""

    line: int
    user: str | None
    email: str | None
    labels: dict[str, str] = field(default_factory=dict)
    started_on: date | None = None


@dataclass(frozen=True)
class ParsedRoster:
    """Either ``rows`` (no problems) or ``problems`` (and no rows)."""

    rows: tuple[RosterRow, ...]
    problems: tuple[Problem, ...]


def parse_roster(lines: Iterable[str], *, today: date) -> ParsedRoster:
    """Read a whole roster given as lines, separated by commas, semicolons or tabs as its
    header is, on ``today`` (start dates after the next day are problems); see the
    module docstring for the columns."""
    try:
        return _parse(records(lines), latest_start=today + AHEAD)
    except Malformed as error:
        return ParsedRoster((), (error.problem,))


def start_day(text: str) -> date | None:
    """``YYYY-MM-DD`` or ``YYYY/MM/DD`` as a date (:func:`~bot.domain.inputs.parse_day`),
    None for anything else."""
    return parse_day(text.replace("/", "-"))


def _parse(lines: Iterator[tuple[int, list[str]]], *, latest_start: date) -> ParsedRoster:
    first = next(lines, None)
    if first is None:
        return ParsedRoster((), (Problem(line=0, code=ProblemCode.NO_ONE),))
    # Control characters leave names and labels, as in answers: an escape would restyle
    # the terminal that lists the roster, a bidi override reorder its words.
    names = [clean_text(restore(name)).lower() for name in first[1]]
    problems = _header_problems(names)
    if problems:
        return ParsedRoster((), tuple(problems))
    rows: list[RosterRow] = []
    seen: dict[tuple[str, str], int] = {}
    for index, cells in lines:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines name no one
        if len(cells) != len(names):
            problems.append(Problem(index, ProblemCode.WRONG_WIDTH, value=str(len(cells))))
            continue
        values = dict(zip(names, (restore(cell).strip() for cell in cells), strict=True))
        row = _row(values, line=index, problems=problems, latest_start=latest_start)
        if row is None:
            continue
        person = (USER, row.user) if row.user else (EMAIL, (row.email or "").casefold())
        if person in seen:
            problems.append(
                Problem(
                    index, ProblemCode.DUPLICATE_PERSON, column=person[0], value=str(seen[person])
                )
            )
            continue
        seen[person] = index
        rows.append(row)
    if not rows and not problems:
        # A roster replaces the one before: a header alone would empty it by a slip.
        problems.append(Problem(0, ProblemCode.NO_ONE))
    if problems:
        return ParsedRoster((), tuple(problems))
    return ParsedRoster(tuple(rows), ())


def _header_problems(names: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    if USER not in names and EMAIL not in names:
        problems.append(Problem(1, ProblemCode.MISSING_PERSON_COLUMN))
    if all(column in names for column in START_COLUMNS):
        problems.append(Problem(1, ProblemCode.TWO_START_COLUMNS))
    seen: set[str] = set()
    for name in names:
        if not name:
            problems.append(Problem(1, ProblemCode.BLANK_COLUMN))
        elif name in seen:
            problems.append(Problem(1, ProblemCode.DUPLICATE_COLUMN, column=name))
        elif len(name) > LABEL_LIMIT:
            problems.append(Problem(1, ProblemCode.VALUE_TOO_LONG, column=name, value=name))
        seen.add(name)
    return problems


def _row(
    values: dict[str, str], *, line: int, problems: list[Problem], latest_start: date
) -> RosterRow | None:
    before = len(problems)
    user = values.get(USER) or None
    email = values.get(EMAIL) or None
    if user is None and email is None:
        problems.append(Problem(line, ProblemCode.NO_PERSON))
    for column, value in ((USER, user), (EMAIL, email)):
        if value is not None and len(value) > PERSON_LIMIT:
            problems.append(Problem(line, ProblemCode.VALUE_TOO_LONG, column=column, value=value))
        elif column == USER and value is not None and not USER_ID.fullmatch(value):
            problems.append(Problem(line, ProblemCode.BAD_USER, column=column, value=value))
    started_on = None
    for column in START_COLUMNS:
        text = values.get(column)
        if text:
            started_on = start_day(text)
            if started_on is None:
                problems.append(Problem(line, ProblemCode.BAD_DATE, column=column, value=text))
            elif started_on > latest_start:
                problems.append(Problem(line, ProblemCode.FUTURE_DATE, column=column, value=text))
            elif started_on < EARLIEST_DAY:
                problems.append(Problem(line, ProblemCode.PAST_DATE, column=column, value=text))
    # A user id or email is taken as typed (a hidden character in one is refused, not
    # guessed away); a label loses its control characters, as an answer's do.
    cleaned = {
        name: clean_text(value)
        for name, value in values.items()
        if name not in (USER, EMAIL, *START_COLUMNS)
    }
    labels = {name: value for name, value in cleaned.items() if value}
    for name, value in labels.items():
        if len(value) > LABEL_LIMIT:
            problems.append(Problem(line, ProblemCode.VALUE_TOO_LONG, column=name, value=value))
    if len(problems) > before:
        return None
    if started_on is not None:
        labels.pop(TENURE, None)  # the band computed on the day of each ask stands for it
    return RosterRow(line=line, user=user, email=email, labels=labels, started_on=started_on)
