"""Reading answers from CSV: every problem found, with its line number (pure).

The header row names the columns, in any case (``Date``, ``SCORE``), separated by commas,
semicolons (as spreadsheets write CSV where the comma is the decimal mark) or tabs,
whichever the header uses most. ``date`` (ISO ``YYYY-MM-DD``, not after the day of the
import nor before :data:`EARLIEST_DAY`) and ``score`` (0..10, typed as
:func:`~bot.domain.inputs.parse_score` reads it)
are required; ``reason`` and ``survey`` are optional; ``category`` is ignored (it is
derived from the score, so an exported file imports again); every other column is a
segment label, left off an answer where its cell is empty. An answer without a survey
cell belongs to the default survey, or to the one the caller names. A cell the export neutralised
against spreadsheet formulas (:mod:`bot.domain.csv_cells`) has that quote taken off first,
so an exported file imports with its words unchanged.

A file is all or nothing: :func:`parse_answers` returns either every answer or every
problem, never a part of the rows.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from itertools import chain

from bot.domain.csv_cells import restore
from bot.domain.inputs import REASON_LIMIT, clean_text, parse_day, parse_score
from bot.domain.labels import LABEL_LIMIT
from bot.domain.surveys import DEFAULT_SURVEY, NAME_LIMIT, NameFault, name_fault

EARLIEST_DAY = date(1900, 1, 1)
"""The earliest date a file may give: an older one is a slip (0001-01-01 is what some
programs write for an empty date), and PostgreSQL's driver would store that one as
``-infinity``, which no report can group by month."""

RESERVED = frozenset({"date", "score", "reason", "survey", "category"})


class ProblemCode(StrEnum):
    EMPTY_FILE = "empty_file"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    BLANK_COLUMN = "blank_column"
    WRONG_WIDTH = "wrong_width"
    BAD_DATE = "bad_date"
    FUTURE_DATE = "future_date"
    PAST_DATE = "past_date"
    BAD_SCORE = "bad_score"
    REASON_TOO_LONG = "reason_too_long"
    VALUE_TOO_LONG = "value_too_long"
    NOT_CSV = "not_csv"
    UNCLOSED_QUOTE = "unclosed_quote"
    MISSING_PERSON_COLUMN = "missing_person_column"
    TWO_START_COLUMNS = "two_start_columns"
    NO_PERSON = "no_person"
    NO_ONE = "no_one"
    BAD_USER = "bad_user"
    DUPLICATE_PERSON = "duplicate_person"
    UNKNOWN_EMAIL = "unknown_email"
    UNKNOWN_SURVEY = "unknown_survey"
    BAD_SURVEY_NAME = "bad_survey_name"


@dataclass(frozen=True)
class Problem:
    """What is wrong, on which line of the file (1 is the header), in which column."""

    line: int
    code: ProblemCode
    column: str = ""
    value: str = ""


@dataclass(frozen=True, slots=True)
class ImportedAnswer:
    """One answer of a file. ``segments`` is shared by the file's answers of the same
    groups: read it, never change it."""

    survey: str
    answered_on: date
    score: int
    reason: str | None
    segments: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Parsed:
    """Either ``answers`` (no problems) or ``problems`` (and no answers)."""

    answers: tuple[ImportedAnswer, ...]
    problems: tuple[Problem, ...]


DELIMITERS = (",", ";", "\t")
"""The separators a header may use; a comma wins a tie."""


def separator(header: str) -> str:
    """The separator of a file whose first line is ``header``: the one of
    :data:`DELIMITERS` it holds most often (Excel writes semicolons where the decimal
    mark is a comma, and tabs in its "Unicode text")."""
    return max(DELIMITERS, key=header.count)


class Malformed(ValueError):
    """The file is no CSV from ``problem.line`` on (a quote never closed, text after a
    closing quote, a cell over the csv module's limit)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


UNEXPECTED_END = "unexpected end of data"
"""What the csv module says when the file ends inside a quoted cell."""


def records(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV file given as lines, each with its number as a spreadsheet
    shows it (1 is the header), separated as :func:`separator` finds from the first line.

    Read strictly: a quote that is never closed would otherwise take the rest of the
    file into one cell, and the rows after it would vanish without a word. Raise
    :class:`Malformed` on the row where the file stops being CSV.
    """
    remaining = iter(lines)
    first = next(remaining, None)
    if first is None:
        return
    reader = csv.reader(chain([first], remaining), delimiter=separator(first), strict=True)
    line = 0
    while True:
        line += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            code = ProblemCode.UNCLOSED_QUOTE if str(error) == UNEXPECTED_END else None
            problem = Problem(line, code or ProblemCode.NOT_CSV, value=str(error))
            raise Malformed(problem) from None
        yield line, cells


def parse_answers(
    lines: Iterable[str], *, today: date, default_survey: str = DEFAULT_SURVEY
) -> Parsed:
    """Read a whole CSV file given as lines; see the module docstring for the columns.
    A date after ``today`` is a problem; an answer without a ``survey`` cell belongs to
    ``default_survey``."""
    try:
        return _parse(records(lines), today=today, default_survey=default_survey)
    except Malformed as error:
        return Parsed((), (error.problem,))


def _column(name: str) -> str:
    """A header cell as a column name: a reserved name in any case is that name."""
    cleaned = clean_text(restore(name))
    return cleaned.casefold() if cleaned.casefold() in RESERVED else cleaned


def _parse(rows: Iterator[tuple[int, list[str]]], *, today: date, default_survey: str) -> Parsed:
    first = next(rows, None)
    if first is None:
        return Parsed((), (Problem(line=1, code=ProblemCode.EMPTY_FILE),))
    names = [_column(name) for name in first[1]]
    problems = _header_problems(names)
    if problems:
        return Parsed((), tuple(problems))
    answers: list[ImportedAnswer] = []
    days: dict[str, date | None] = {}  # each day written once, read once
    groups: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
    for index, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines carry no answer
        if len(cells) != len(names):
            problems.append(Problem(index, ProblemCode.WRONG_WIDTH, value=str(len(cells))))
            continue
        restored = [restore(cell) for cell in cells]
        row = dict(zip(names, restored, strict=True))
        answer = _answer(
            row,
            line=index,
            problems=problems,
            today=today,
            default_survey=default_survey,
            days=days,
            groups=groups,
        )
        if answer is not None:
            answers.append(answer)
    if problems:
        return Parsed((), tuple(problems))
    return Parsed(tuple(answers), ())


def _header_problems(names: list[str]) -> list[Problem]:
    problems = [
        Problem(1, ProblemCode.MISSING_COLUMN, column=required)
        for required in ("date", "score")
        if required not in names
    ]
    seen: set[str] = set()
    for name in names:
        if not name:
            problems.append(Problem(1, ProblemCode.BLANK_COLUMN))
        elif name in seen:
            problems.append(Problem(1, ProblemCode.DUPLICATE_COLUMN, column=name))
        elif name not in RESERVED and len(name) > LABEL_LIMIT:
            problems.append(Problem(1, ProblemCode.VALUE_TOO_LONG, column=name, value=name))
        seen.add(name)
    return problems


def _answer(
    row: dict[str, str],
    *,
    line: int,
    problems: list[Problem],
    today: date,
    default_survey: str,
    days: dict[str, date | None],
    groups: dict[tuple[tuple[str, str], ...], dict[str, str]],
) -> ImportedAnswer | None:
    before = len(problems)
    raw_date, raw_score = row["date"].strip(), row["score"].strip()
    if raw_date not in days:
        days[raw_date] = parse_day(raw_date)
    answered_on = days[raw_date]
    if answered_on is None:
        problems.append(Problem(line, ProblemCode.BAD_DATE, column="date", value=raw_date))
    elif answered_on > today:
        problems.append(Problem(line, ProblemCode.FUTURE_DATE, column="date", value=raw_date))
    elif answered_on < EARLIEST_DAY:
        problems.append(Problem(line, ProblemCode.PAST_DATE, column="date", value=raw_date))
    score = parse_score(raw_score)
    if score is None:
        problems.append(Problem(line, ProblemCode.BAD_SCORE, column="score", value=raw_score))
    reason = clean_text(row.get("reason", "")) or None
    if reason is not None and len(reason) > REASON_LIMIT:
        problems.append(
            Problem(line, ProblemCode.REASON_TOO_LONG, column="reason", value=str(len(reason)))
        )
    survey = clean_text(row.get("survey", "")) or default_survey
    if len(survey) > NAME_LIMIT:
        problems.append(Problem(line, ProblemCode.VALUE_TOO_LONG, column="survey", value=survey))
    elif name_fault(survey) is NameFault.CHARACTERS:
        # What survey create refuses names no survey either (a line break or tab stays).
        problems.append(Problem(line, ProblemCode.BAD_SURVEY_NAME, column="survey", value=survey))
    # Control characters go, as in reasons: a NUL is refused by PostgreSQL's text.
    cleaned = {name: clean_text(value) for name, value in row.items() if name not in RESERVED}
    segments = {name: value for name, value in cleaned.items() if value}
    for name, value in segments.items():
        if len(value) > LABEL_LIMIT:
            problems.append(Problem(line, ProblemCode.VALUE_TOO_LONG, column=name, value=value))
    if len(problems) > before or answered_on is None or score is None:
        return None
    # A file repeats its few surveys and groups on every line: answers of the same ones
    # hold one copy of each (``sys.intern``, ``groups``), not their own, until stored.
    shared = groups.setdefault(tuple(segments.items()), segments)
    return ImportedAnswer(
        survey=sys.intern(survey),
        answered_on=answered_on,
        score=score,
        reason=reason,
        segments=shared,
    )
