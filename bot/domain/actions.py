"""Action plans, the outer loop: what an admin decided to do about a theme or a driver
(pure).

An action belongs to one survey and is about at most one thing heard: a report theme (its
key) or a driver (its key), never both; without either it is about the survey as a
whole. It names an owner (the platform user id of the admin who answers for it), a due
date, a :class:`ActionStatus` and an optional note. A scoped viewer's action carries the
group they may read (``label=value``), so they later see and change only their own.

Every rule here is a plain function of plain values; the day is passed in, never read.
Validation reports every problem at once (:class:`~bot.domain.errors.SurveyErrors`),
each naming its field, so a form shows each reason beside its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.audiences import is_user_id
from bot.domain.errors import Refusals, SurveyError
from bot.domain.inputs import clean_text, parse_day

TITLE_LENGTH = 120
NUMBER_LIMIT = 999_999
"""The highest action number: six digits, as chat reads ``#N``. A larger one names no
action, and past the database's integers a lookup of it failed."""
NOTE_LENGTH = 1000
OWNER_LENGTH = 64
SUBJECT_LENGTH = 64
DEFAULT_LEAD_DAYS = 3
"""How many days before its due date an action's owner is reminded, by default."""
HORIZON_DAYS = 2 * 366
"""How far ahead a due date may lie: further is almost always a typo in the year."""


class ActionStatus(StrEnum):
    """Where an action stands; stored as its string value."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


OPEN = frozenset({ActionStatus.PLANNED, ActionStatus.IN_PROGRESS})
"""Statuses of an action still to be done: these get reminders and can be overdue."""

SHOWN_AS_DONE = frozenset({ActionStatus.IN_PROGRESS, ActionStatus.DONE})
"""Statuses that "you said, we did" reports as something done about what was heard."""

_NEXT: Mapping[ActionStatus, frozenset[ActionStatus]] = {
    ActionStatus.PLANNED: frozenset(
        {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DROPPED}
    ),
    ActionStatus.IN_PROGRESS: frozenset(
        {ActionStatus.PLANNED, ActionStatus.DONE, ActionStatus.DROPPED}
    ),
    # Finished work may be reopened (it did not work after all); a dropped action may be
    # taken up again, from the start.
    ActionStatus.DONE: frozenset({ActionStatus.IN_PROGRESS}),
    ActionStatus.DROPPED: frozenset({ActionStatus.PLANNED}),
}


def can_move(current: ActionStatus, target: ActionStatus) -> bool:
    """Whether an action in ``current`` may be set to ``target`` (staying put is allowed)."""
    return target == current or target in _NEXT[current]


def parse_status(text: str) -> ActionStatus:
    """The status ``text`` names (``in-progress``, ``In progress`` and ``in_progress``
    alike); :class:`SurveyError` on the ``status`` field otherwise."""
    cleaned = "_".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
    try:
        return ActionStatus(cleaned)
    except ValueError:
        raise SurveyError(
            f"unknown status {text!r}",
            key="actions.error.status",
            field="status",
            known=", ".join(status.value for status in ActionStatus),
        ) from None


def move(current: ActionStatus, target: ActionStatus) -> ActionStatus:
    """``target``, when ``current`` may move there; :class:`SurveyError` otherwise."""
    if not can_move(current, target):
        raise SurveyError(
            f"an action that is {current.value} cannot become {target.value}",
            key="actions.error.transition",
            field="status",
            current=current.value,
            target=target.value,
        )
    return target


@dataclass(frozen=True)
class ActionDraft:
    """An action as typed, before validation: every value is text (``None``: not given)."""

    title: str | None = None
    owner: str | None = None
    due: str | None = None
    status: str | None = None
    note: str | None = None
    theme: str | None = None
    driver: str | None = None


@dataclass(frozen=True)
class ActionFields:
    """A validated action: what is stored, whatever surface it came from."""

    title: str
    owner: str
    due: date
    status: ActionStatus
    note: str | None
    theme: str | None
    driver: str | None


def parse_due(text: str, *, today: date) -> date:
    """A due date written ``YYYY-MM-DD``, from ``today`` to :data:`HORIZON_DAYS` ahead."""
    due = parse_day(text)
    if due is None:
        raise SurveyError(
            f"{text!r} is not a date (YYYY-MM-DD)", key="actions.error.due_format", field="due"
        )
    if due < today:
        raise SurveyError(
            "the due date has passed", key="actions.error.due_past", field="due", today=today
        )
    if due > today + timedelta(days=HORIZON_DAYS):
        raise SurveyError(
            "the due date is more than two years ahead", key="actions.error.due_far", field="due"
        )
    return due


def validate_new(draft: ActionDraft, *, today: date, platform: str) -> ActionFields:
    """A new action of a survey on ``platform`` from ``draft``: a title, an owner (a
    person's user id there) and a due date are required; every refusal is raised at
    once."""
    refusals = Refusals()
    title = owner = due = status = None
    with refusals.collecting():
        title = _text(draft.title, field="title", limit=TITLE_LENGTH, required=True)
    with refusals.collecting():
        owner = _owner(draft.owner, platform=platform)
    with refusals.collecting():
        if not (draft.due or "").strip():
            raise _missing("due")
        due = parse_due(draft.due or "", today=today)
    with refusals.collecting():
        status = parse_status(draft.status) if draft.status else ActionStatus.PLANNED
    note, theme, driver = _common(draft, refusals)
    refusals.raise_any()
    assert title is not None and owner is not None and due is not None and status is not None
    return ActionFields(title, owner, due, status, note, theme, driver)


def validate_update(
    current: ActionFields, draft: ActionDraft, *, today: date, platform: str
) -> ActionFields:
    """``current`` with what ``draft`` gives changed; an empty ``note`` clears the note.

    A due date that is not changed may lie in the past (an overdue action can still be
    marked done); a changed one must not. The status must be a move :func:`can_move`
    allows. Every refusal is raised at once.
    """
    refusals = Refusals()
    title, owner, due, status = current.title, current.owner, current.due, current.status
    with refusals.collecting():
        if draft.title is not None:
            title = _text(draft.title, field="title", limit=TITLE_LENGTH, required=True) or title
    with refusals.collecting():
        if draft.owner is not None:
            owner = _owner(draft.owner, platform=platform) or owner
    with refusals.collecting():
        if draft.due is not None and draft.due.strip() != current.due.isoformat():
            due = parse_due(draft.due, today=today)
    with refusals.collecting():
        if draft.status:
            status = move(current.status, parse_status(draft.status))
    note, theme, driver = _common(draft, refusals, current=current)
    refusals.raise_any()
    return ActionFields(title, owner, due, status, note, theme, driver)


def _common(
    draft: ActionDraft, refusals: Refusals, *, current: ActionFields | None = None
) -> tuple[str | None, str | None, str | None]:
    """The note and the subject (theme or driver) of ``draft``, kept from ``current``
    where not given."""
    note = current.note if current else None
    theme = current.theme if current else None
    driver = current.driver if current else None
    with refusals.collecting():
        if draft.note is not None:
            note = _text(draft.note, field="note", limit=NOTE_LENGTH, required=False)
    with refusals.collecting():
        if draft.theme is not None:
            theme = _text(draft.theme, field="theme", limit=SUBJECT_LENGTH, required=False)
        if draft.driver is not None:
            driver = _text(draft.driver, field="driver", limit=SUBJECT_LENGTH, required=False)
        if theme and driver:
            raise SurveyError(
                "an action is about a theme or a driver, not both",
                key="actions.error.both_subjects",
                field="theme",
            )
    return note, theme, driver


def _owner(value: str | None, *, platform: str) -> str | None:
    """The owner given, who must be a person of ``platform`` by their user id: the
    reminder goes to them as a direct message (a name would be sent nowhere)."""
    owner = _text(value, field="owner", limit=OWNER_LENGTH, required=True)
    if owner is not None and not is_user_id(owner, platform=platform):
        raise SurveyError(
            f"the owner {owner!r} is not a person's user id on {platform}",
            key="actions.error.owner_id",
            field="owner",
        )
    return owner


def _text(value: str | None, *, field: str, limit: int, required: bool) -> str | None:
    # One line, and only characters shown as themselves: a title reaches respondents in
    # the next wave's note, where a bidi override or zero-width character would hide or
    # reorder what an admin wrote.
    cleaned = " ".join(clean_text(value or "").split())
    if not cleaned:
        if required:
            raise _missing(field)
        return None
    if len(cleaned) > limit:
        raise SurveyError(
            f"{field} is longer than {limit} characters",
            key="actions.error.too_long",
            field=field,
            limit=limit,
        )
    return cleaned


def _missing(field: str) -> SurveyError:
    return SurveyError(f"{field} is required", key="actions.error.required", field=field)


def is_overdue(status: ActionStatus, due: date, *, today: date) -> bool:
    """An open action whose due date has passed."""
    return status in OPEN and due < today


def reminder_due(status: ActionStatus, due: date, *, today: date, lead_days: int) -> bool:
    """Whether the owner of an open action should be reminded on ``today``: from
    ``lead_days`` before the due date up to the due date itself (a reminder missed while
    the bot was down still goes out, but never once the action is overdue; the digest
    shows that)."""
    return status in OPEN and due - timedelta(days=max(lead_days, 0)) <= today <= due
