"""A survey's optional driver questions: up to five 1-5 ratings asked after the reason.

A survey stores them as a JSON list of ``{"key": ..., "label": ...}``. The key is what a
rating is stored under (slug-like, so it survives a label's rewording and fits in a
button id); the label is what people see. These pure functions are the one place that
says what a valid list is, for the survey commands and the settings alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.inputs import holds_control, shows_as_itself

MAX_DRIVERS = 5
LABEL_LIMIT = 40
KEY_LIMIT = 32
KEY_PATTERN = re.compile(rf"[a-z][a-z0-9_]{{0,{KEY_LIMIT - 1}}}")
RATINGS = (1, 2, 3, 4, 5)


class DriverProblem(StrEnum):
    """What is wrong with a list of drivers; people in chat read it as a catalog message."""

    TOO_MANY = "too_many"
    BAD_KEY = "bad_key"
    DUPLICATE_KEY = "duplicate_key"
    LABEL = "label"
    LABEL_CHARACTERS = "label_characters"
    MALFORMED = "malformed"


class DriverError(ValueError):
    """An invalid list of drivers.

    ``str(error)`` is the reason in English (for the operator); ``problem`` and ``params``
    say the same for a translated message (``admin.error.drivers.<problem>``).
    """

    def __init__(self, message: str, *, problem: DriverProblem, **params: object) -> None:
        super().__init__(message)
        self.problem = problem
        self.params = params


@dataclass(frozen=True)
class DriverQuestion:
    """One driver: its stored ``key`` and the ``label`` people see."""

    key: str
    label: str

    def to_json(self) -> dict[str, str]:
        return {"key": self.key, "label": self.label}


def parse_drivers(text: str) -> tuple[DriverQuestion, ...]:
    """Read ``"growth=Growth,manager=My manager"``; an empty text means no drivers.

    Raise :class:`DriverError` on a malformed item, a label with a control character,
    or an invalid list (see :func:`check_drivers`). Other characters not shown as
    themselves are refused when a survey's drivers change (:func:`hidden_label`), so
    that a form carrying back a label stored before still reads.
    """
    questions = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        key, sep, label = item.partition("=")
        if not sep:
            raise DriverError(
                f"expected KEY=LABEL for a driver, got {item!r}",
                problem=DriverProblem.MALFORMED,
                item=item,
            )
        questions.append(DriverQuestion(key=key.strip(), label=label.strip()))
    for question in questions:
        if holds_control(question.label):
            # Checked on what is typed only: a label stored before still reads back.
            raise _label_characters(question)
    return check_drivers(questions)


def hidden_label(questions: Sequence[DriverQuestion]) -> None:
    """Raise :class:`DriverError` for the first label holding a character not shown as
    itself (a control, bidi override or zero-width character): every respondent reads
    the labels, as they read the subject, so none may reorder or hide its text."""
    for question in questions:
        if not shows_as_itself(question.label):
            raise _label_characters(question)


def _label_characters(question: DriverQuestion) -> DriverError:
    return DriverError(
        f"driver {question.key!r} has a label with a control or invisible character",
        problem=DriverProblem.LABEL_CHARACTERS,
        driver=question.key,
    )


def check_drivers(questions: Sequence[DriverQuestion]) -> tuple[DriverQuestion, ...]:
    """``questions`` if valid: at most five, keys slug-like (``a-z``, digits, ``_``; a
    letter first; up to 32 characters) and unique, labels 1 to 40 characters.

    Raise :class:`DriverError` naming the first problem found.
    """
    if len(questions) > MAX_DRIVERS:
        raise DriverError(
            f"at most {MAX_DRIVERS} drivers, got {len(questions)}",
            problem=DriverProblem.TOO_MANY,
            limit=MAX_DRIVERS,
            count=len(questions),
        )
    seen: set[str] = set()
    for question in questions:
        if not KEY_PATTERN.fullmatch(question.key):
            raise DriverError(
                f"driver key {question.key!r} must be lower-case letters, digits or _, "
                f"starting with a letter, at most {KEY_LIMIT} characters",
                problem=DriverProblem.BAD_KEY,
                driver=question.key,
                limit=KEY_LIMIT,
            )
        if question.key in seen:
            raise DriverError(
                f"driver key {question.key!r} is repeated",
                problem=DriverProblem.DUPLICATE_KEY,
                driver=question.key,
            )
        seen.add(question.key)
        if not question.label or len(question.label) > LABEL_LIMIT:
            raise DriverError(
                f"driver {question.key!r} needs a label of 1 to {LABEL_LIMIT} characters",
                problem=DriverProblem.LABEL,
                driver=question.key,
                limit=LABEL_LIMIT,
            )
    return tuple(questions)


def drivers_from_json(value: object) -> tuple[DriverQuestion, ...]:
    """The questions stored in a survey's ``drivers`` column (or given as such a list).

    Raise :class:`DriverError` when ``value`` is not a valid list of ``{"key", "label"}``.
    """
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise DriverError(
            "drivers must be a list of {key, label}",
            problem=DriverProblem.MALFORMED,
            item=str(value),
        )
    questions = []
    for item in value:
        if not isinstance(item, Mapping) or set(item) != {"key", "label"}:
            raise DriverError(
                "each driver must be {key, label}",
                problem=DriverProblem.MALFORMED,
                item=str(item),
            )
        questions.append(DriverQuestion(key=str(item["key"]), label=str(item["label"])))
    return check_drivers(questions)


def format_drivers(questions: Sequence[DriverQuestion]) -> str:
    """The text :func:`parse_drivers` reads back as ``questions``: ``key=Label, …``."""
    return ", ".join(f"{question.key}={question.label}" for question in questions)
