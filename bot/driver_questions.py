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

MAX_DRIVERS = 5
LABEL_LIMIT = 40
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,31}")
RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class DriverQuestion:
    """One driver: its stored ``key`` and the ``label`` people see."""

    key: str
    label: str

    def to_json(self) -> dict[str, str]:
        return {"key": self.key, "label": self.label}


def parse_drivers(text: str) -> tuple[DriverQuestion, ...]:
    """Read ``"growth=Growth,manager=My manager"``; an empty text means no drivers.

    Raise ``ValueError`` (with a message for the operator) on a malformed item or an
    invalid list (see :func:`check_drivers`).
    """
    questions = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        key, sep, label = item.partition("=")
        if not sep:
            raise ValueError(f"expected KEY=LABEL for a driver, got {item!r}")
        questions.append(DriverQuestion(key=key.strip(), label=label.strip()))
    return check_drivers(questions)


def check_drivers(questions: Sequence[DriverQuestion]) -> tuple[DriverQuestion, ...]:
    """``questions`` if valid: at most five, keys slug-like (``a-z``, digits, ``_``; a
    letter first; up to 32 characters) and unique, labels 1 to 40 characters."""
    if len(questions) > MAX_DRIVERS:
        raise ValueError(f"at most {MAX_DRIVERS} drivers, got {len(questions)}")
    seen: set[str] = set()
    for question in questions:
        if not KEY_PATTERN.fullmatch(question.key):
            raise ValueError(
                f"driver key {question.key!r} must be lower-case letters, digits or _, "
                "starting with a letter, at most 32 characters"
            )
        if question.key in seen:
            raise ValueError(f"driver key {question.key!r} is repeated")
        seen.add(question.key)
        if not question.label or len(question.label) > LABEL_LIMIT:
            raise ValueError(
                f"driver {question.key!r} needs a label of 1 to {LABEL_LIMIT} characters"
            )
    return tuple(questions)


def drivers_from_json(value: object) -> tuple[DriverQuestion, ...]:
    """The questions stored in a survey's ``drivers`` column (or given as such a list).

    Raise ``ValueError`` when ``value`` is not a valid list of ``{"key", "label"}``.
    """
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise ValueError("drivers must be a list of {key, label}")
    questions = []
    for item in value:
        if not isinstance(item, Mapping) or set(item) != {"key", "label"}:
            raise ValueError("each driver must be {key, label}")
        questions.append(DriverQuestion(key=str(item["key"]), label=str(item["label"])))
    return check_drivers(questions)
