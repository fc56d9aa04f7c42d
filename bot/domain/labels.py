"""Labels from the groups platforms already keep: which group a person counts in.

Every rule here gives a person at most one value per label name, so the groups of a
breakdown never overlap and each answer counts in exactly one of them. Precedence between
the sources a platform offers is written once, in :func:`layered`.

- Slack user groups (:func:`usergroup_value`): a person in several groups counts in the
  first of the configured groups (their order is the priority); with no groups
  configured, in the group whose handle sorts first.
- Slack profile fields (:func:`profile_values`): the field's text, for the fields a
  setting maps to labels.
- Discord roles (:func:`role_values`): for each label, the member's highest role (the
  server's role order) mapped to it.
- Between Slack's two sources, a profile field wins over user groups for the same label
  name: a profile field holds one value per person by construction, a group membership
  is a guess among several. (A roster, merged by the engine, wins over both.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from bot.domain.inputs import clean_text, escaped, shows_as_itself

LABEL_LIMIT = 64
"""The most characters a label value keeps, whichever source it comes from (a platform's
groups, a roster, an imported answer)."""

LABEL_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
"""A label name: ``team``, ``role``, ``office_city``."""


class LabelRuleError(ValueError):
    """A label setting that cannot be read; the message names the part."""


def is_label_name(name: str) -> bool:
    return LABEL_NAME.fullmatch(name) is not None


def clean_value(value: str) -> str | None:
    """A label value as stored: only characters shown as themselves (no control, bidi or
    zero-width character: a person's own profile field reaches every report's
    breakdown), on one line, at most ``LABEL_LIMIT`` characters; None when nothing is
    left (an empty profile field is no group)."""
    text = " ".join(clean_text(value).split())
    return text[:LABEL_LIMIT] or None


class GroupFault(Enum):
    """Why a ``label=value`` pair typed by an admin can name no group of answers."""

    LENGTH = "length"
    """A name or value empty or longer than :data:`LABEL_LIMIT`."""
    CHARACTERS = "characters"
    """A character not shown as itself (control, bidi, zero-width, ...)."""


def group_fault(label: str, value: str) -> GroupFault | None:
    """Why ``label`` = ``value`` can be no group's, or None when it can be. Every source
    keeps a label's name and value to at most :data:`LABEL_LIMIT` characters shown as
    themselves (a platform's through :func:`clean_value`, a roster's or an imported
    answer's by dropping the others), so a pair past either names no group; one that
    hides or reorders its words would also show spoofed text wherever it is listed. A
    name need not be :func:`is_label_name`: a roster's and an import's columns are
    labels as named (lower case for a roster), ``Office city`` or ``部署`` as well."""
    return _parts_fault((label, value))


def group_text(label: str, value: str) -> str:
    """A group as listed, ``team=eng``. A share stored before :func:`group_fault` held
    its characters may hide or reorder its words: those are written as their escapes."""
    return f"{escaped(label)}={escaped(value)}"


def label_fault(label: str) -> GroupFault | None:
    """Why ``label`` can be no label's name (a report's breakdown), by the rule of
    :func:`group_fault`, or None when it can be."""
    return _parts_fault((label,))


def _parts_fault(parts: tuple[str, ...]) -> GroupFault | None:
    if not all(0 < len(part) <= LABEL_LIMIT for part in parts):
        return GroupFault.LENGTH
    if not all(shows_as_itself(part) for part in parts):
        return GroupFault.CHARACTERS
    return None


def parse_field_labels(text: str) -> dict[str, str]:
    """``"Department:team, Office:location"`` as ``{"Department": "team", "Office":
    "location"}``: profile field label (as `team.profile.get` names it) to label name.

    Raises ``LabelRuleError`` for a pair without ``:``, a bad label name, or a field or
    label named twice (two fields for one label would overlap).
    """
    mapping: dict[str, str] = {}
    for pair in (part.strip() for part in text.split(",")):
        if not pair:
            continue
        field, colon, label = (piece.strip() for piece in pair.rpartition(":"))
        if not colon or not field:
            raise LabelRuleError(f"{pair!r} is not 'Field:label'")
        if not is_label_name(label):
            raise LabelRuleError(f"{label!r} is not a label name (a-z, 0-9, _)")
        if field.casefold() in {known.casefold() for known in mapping}:
            raise LabelRuleError(f"the field {field!r} is named twice")
        if label in mapping.values():
            raise LabelRuleError(f"the label {label!r} is given by two fields")
        mapping[field] = label
    return mapping


def usergroup_value(memberships: Iterable[str], *, priority: Sequence[str]) -> str | None:
    """The one group (handle) a person counts in, of the groups ``memberships`` names.

    With ``priority`` (the configured groups), only those count, the first listed that
    the person is in wins. Without, every group counts and the handle that sorts first
    (without regard to case) wins.
    """
    held = set(memberships)
    if priority:
        return next((handle for handle in priority if handle in held), None)
    return min(held, key=lambda handle: (handle.casefold(), handle), default=None)


def profile_values(values: Mapping[str, str], *, field_labels: Mapping[str, str]) -> dict[str, str]:
    """Labels from a person's profile: ``values`` is field label to text,
    ``field_labels`` field label to label name (field labels matched without regard to
    case, as people type them in settings)."""
    by_field = {field.casefold(): text for field, text in values.items()}
    labels: dict[str, str] = {}
    for field, label in field_labels.items():
        value = clean_value(by_field.get(field.casefold(), ""))
        if value is not None:
            labels[label] = value
    return labels


@dataclass(frozen=True)
class RoleLabel:
    """What holding a role says: ``label=value``."""

    label: str
    value: str


def role_values(
    role_ids_highest_first: Sequence[str], *, mapping: Mapping[str, RoleLabel]
) -> dict[str, str]:
    """Labels from a member's roles (ids, highest role first): for each label name, the
    highest role mapped to it decides."""
    labels: dict[str, str] = {}
    for role_id in role_ids_highest_first:
        entry = mapping.get(role_id)
        if entry is not None and entry.label not in labels:
            labels[entry.label] = entry.value
    return labels


def layered(*sources: Mapping[str, str]) -> dict[str, str]:
    """Labels of several sources, the later ones winning for the same label name."""
    labels: dict[str, str] = {}
    for source in sources:
        labels.update(source)
    return labels
