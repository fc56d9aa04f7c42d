"""What the action plan use cases show, besides notices and lists (platform-neutral).

Every string is already in the person's language. :class:`ActionForm` is the add or
update form a platform with forms shows (a Slack modal); :class:`ActionFormErrors` is
its refusal, a reason beside each field at fault, all at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class ActionField(StrEnum):
    """The inputs of an action; adapters name their inputs after these."""

    TITLE = "title"
    OWNER = "owner"
    DUE = "due"
    STATUS = "status"
    NOTE = "note"
    THEME = "theme"
    DRIVER = "driver"


@dataclass(frozen=True)
class ActionChoice:
    value: str
    label: str


@dataclass(frozen=True)
class ActionInput:
    """One input of the action form: its current ``value`` as text (empty when blank);
    ``choices`` is non-empty for a pick-one input (status, theme, driver)."""

    field: ActionField
    label: str
    value: str = ""
    hint: str = ""
    optional: bool = False
    choices: tuple[ActionChoice, ...] = ()


@dataclass(frozen=True)
class ActionForm:
    """Add an action to ``survey`` (``number`` None) or change action ``number``.

    ``typed`` says how to do the same with ``/nps actions …`` text.
    """

    title: str
    submit_label: str
    survey: str
    inputs: tuple[ActionInput, ...]
    number: int | None = None
    typed: str = ""


@dataclass(frozen=True)
class ActionFormErrors:
    """The form refused: a reason per field at fault; nothing was stored. ``text`` says
    the same in one message, for platforms that cannot show a reason beside its input."""

    errors: Mapping[ActionField, str] = field(default_factory=dict)
    text: str = ""

    def typed(self) -> tuple[str, ...]:
        """Each reason after the option it is about (``--owner: …``), as a typed command
        names it; ``text`` when no field is named."""
        return tuple(f"--{item.value}: {text}" for item, text in self.errors.items()) or (
            self.text,
        )
