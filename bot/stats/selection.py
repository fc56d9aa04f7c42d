"""The vocabulary of the disclosure rule: groups of answers (:class:`Selector`), the
atoms they are made of, and the verdicts on them. Apart from the rule itself
(:mod:`bot.stats.disclosure`, which needs numpy), so reports, renderers and the ledger
name them without loading it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

DEFAULT_K = 5
"""The smallest group a survey shows unless its ``k_min`` says otherwise."""
DEFAULT_COMMENT_THRESHOLD = 8
"""Reasons and themes need more answers than a score: words identify people sooner."""

ABSENT = None
"""A label constraint that matches answers without that label."""


@dataclass(frozen=True)
class Selector:
    """A group of answers: those visible by release step ``through_step``, answered on a
    day in [``since``, ``until``), in one of ``waves`` (any wave or none when ``None``),
    and carrying each label of ``labels`` with that value (``None``: without the label)."""

    through_step: int
    since: date | None = None
    until: date | None = None
    waves: frozenset[str] | None = None
    labels: tuple[tuple[str, str | None], ...] = ()

    def __post_init__(self) -> None:
        # One order for the labels, so that equal groups compare (and key) equal.
        object.__setattr__(self, "labels", tuple(sorted(self.labels, key=lambda pair: pair[0])))

    def key(self) -> str:
        """A canonical text form: equal selectors have equal keys (the ledger's key)."""
        return json.dumps(
            {
                "step": self.through_step,
                "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None,
                "waves": sorted(self.waves) if self.waves is not None else None,
                "labels": [[name, value] for name, value in self.labels],
            },
            separators=(",", ":"),
            sort_keys=True,
        )

    @classmethod
    def from_key(cls, key: str) -> Selector:
        """The selector of :meth:`key`'s text; raise ``ValueError`` on another text."""
        data = json.loads(key)
        try:
            return cls(
                through_step=int(data["step"]),
                since=date.fromisoformat(data["since"]) if data["since"] else None,
                until=date.fromisoformat(data["until"]) if data["until"] else None,
                waves=frozenset(data["waves"]) if data["waves"] is not None else None,
                labels=tuple((str(name), value) for name, value in data["labels"]),
            )
        except (KeyError, TypeError) as error:
            raise ValueError(f"not a selector: {key!r}") from error


@dataclass(frozen=True)
class Atom:
    """``count`` answers alike in every attribute a selector reads."""

    step: int
    day: date
    wave: str | None
    labels: Mapping[str, str]
    count: int


class Verdict(StrEnum):
    """Whether a group may be released, and if not, why (the words follow the reason)."""

    ADMITTED = "admitted"
    TOO_FEW = "too_few"
    """Fewer than k answers in the group itself."""
    REVEALS = "reveals"
    """Enough answers, but with what is shown now or was shown before it would let a
    smaller group be computed by subtraction."""

    @property
    def shown(self) -> bool:
        return self is Verdict.ADMITTED
