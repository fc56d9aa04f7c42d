"""k-anonymity for segment breakdowns: which groups a report may show.

A group is shown only with at least ``k`` answers, and only if no subtraction of shown
numbers isolates fewer than ``k`` answers. The one subtraction a reader can always make
is the parent total minus every shown group; that remainder (suppressed groups plus any
answers without a group label) must be 0 or at least ``k``. When it is not, the smallest
shown group is withheld too, and so on, until the remainder is safe or nothing is shown.
Example with ``k = 5``: company 20, team A 19, team B 1. B is under k; showing A would
expose B as 20 - 19, so A is withheld as well.

Callers must pass every group a report publishes at one level (an "unassigned" bucket
included if it is shown), and the parent total as published. Protection covers one
breakdown tree; differencing across separate breakdowns (team × role, or period against
period) is out of scope here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

DEFAULT_K = 5
MIN_K = 3
DEFAULT_COMMENT_THRESHOLD = 8
"""Reasons and themes need more answers than a score: words identify people sooner."""


def validate_k(k: int) -> int:
    """Return ``k`` if it is an integer of at least :data:`MIN_K`, else raise ``ValueError``."""
    if isinstance(k, bool) or not isinstance(k, int) or k < MIN_K:
        raise ValueError(f"k must be an integer of at least {MIN_K}, got {k!r}")
    return k


def validate_comment_threshold(threshold: int, *, k: int) -> int:
    """Return ``threshold`` if it is an integer of at least ``k``, else raise ``ValueError``."""
    validate_k(k)
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < k:
        raise ValueError(f"the comment threshold must be an integer of at least k={k}")
    return threshold


class Reason(StrEnum):
    """Why a group is withheld."""

    TOO_FEW = "too_few"
    """Fewer than k answers."""
    COMPLEMENT = "complement"
    """Enough answers, but showing it would let a smaller group be derived by subtraction."""
    PARENT_WITHHELD = "parent_withheld"
    """Its parent is withheld, so nothing under it is shown."""


@dataclass(frozen=True)
class Decision:
    """The verdict for one group; a withheld group carries no count."""

    path: tuple[str, ...]
    """Names from the top-level group down to this one."""
    shown: bool
    count: int | None
    reason: Reason | None


@dataclass(frozen=True)
class Group:
    """A node of a nested breakdown: its answer count and its sub-groups."""

    name: str
    count: int
    children: tuple[Group, ...] = field(default=())


def suppress(parent: int, groups: Mapping[str, int], *, k: int = DEFAULT_K) -> tuple[Decision, ...]:
    """Decide one level of a breakdown: ``groups`` (name → answers) under ``parent``.

    Decisions come in the order of ``groups``. Raise ``ValueError`` on a negative count, on
    groups that add up to more than ``parent``, or on an invalid ``k``.
    """
    tree = Group(name="total", count=parent, children=tuple(Group(n, c) for n, c in groups.items()))
    return suppress_tree(tree, k=k)


def suppress_tree(root: Group, *, k: int = DEFAULT_K) -> tuple[Decision, ...]:
    """Decide every group under ``root`` (depth first, in input order); ``root`` is the total.

    If ``root`` itself has fewer than ``k`` answers nothing under it is shown. Below a shown
    group the rule of :func:`suppress` applies with that group as the parent; below a
    withheld group everything is withheld. Raise ``ValueError`` as :func:`suppress` does.
    """
    validate_k(k)
    _validate(root)
    return _decide_children(root, path=(), parent_shown=root.count >= k, k=k)


def _validate(group: Group) -> None:
    if group.count < 0 or any(child.count < 0 for child in group.children):
        raise ValueError("answer counts cannot be negative")
    if sum(child.count for child in group.children) > group.count:
        raise ValueError(f"the groups under {group.name!r} add up to more than its total")
    names = [child.name for child in group.children]
    if len(set(names)) != len(names):
        raise ValueError(f"group names under {group.name!r} must be unique")
    for child in group.children:
        _validate(child)


def _decide_children(
    parent: Group, *, path: tuple[str, ...], parent_shown: bool, k: int
) -> tuple[Decision, ...]:
    reasons = _level_reasons(parent, k=k) if parent_shown else {}
    decisions: list[Decision] = []
    for child in parent.children:
        child_path = (*path, child.name)
        reason = reasons.get(child.name) if parent_shown else Reason.PARENT_WITHHELD
        shown = reason is None
        count = child.count if shown else None
        decisions.append(Decision(path=child_path, shown=shown, count=count, reason=reason))
        decisions.extend(_decide_children(child, path=child_path, parent_shown=shown, k=k))
    return tuple(decisions)


def _level_reasons(parent: Group, *, k: int) -> dict[str, Reason]:
    """Reasons for the withheld children of a shown ``parent``; absent names are shown."""
    reasons = {c.name: Reason.TOO_FEW for c in parent.children if c.count < k}
    # Smallest first, so the fewest answers are hidden to protect the remainder; ties
    # break by name so the outcome never depends on input order.
    candidates = sorted(
        (c for c in parent.children if c.count >= k), key=lambda c: (c.count, c.name)
    )
    remainder = parent.count - sum(c.count for c in candidates)
    for candidate in candidates:
        if remainder == 0 or remainder >= k:
            break
        reasons[candidate.name] = Reason.COMPLEMENT
        remainder += candidate.count
    return reasons
