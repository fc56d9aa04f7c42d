"""The rules of action plans: status moves, validation of new and changed actions,
overdue and reminder days (pure; table-driven cases and hypothesis properties)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.actions import (
    HORIZON_DAYS,
    OPEN,
    ActionDraft,
    ActionFields,
    ActionStatus,
    can_move,
    is_overdue,
    move,
    parse_status,
    reminder_due,
    validate_new,
    validate_update,
)
from bot.domain.errors import SurveyError, SurveyErrors

TODAY = date(2026, 3, 10)
statuses = st.sampled_from(list(ActionStatus))
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


def fields(**values: object) -> ActionFields:
    base: dict[str, object] = {
        "title": "Write a guide",
        "owner": "U0ADMIN",
        "due": TODAY + timedelta(days=7),
        "status": ActionStatus.PLANNED,
        "note": None,
        "theme": "onboarding",
        "driver": None,
    }
    base.update(values)
    return ActionFields(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, True),
        (ActionStatus.PLANNED, ActionStatus.DONE, True),
        (ActionStatus.PLANNED, ActionStatus.DROPPED, True),
        (ActionStatus.IN_PROGRESS, ActionStatus.PLANNED, True),
        (ActionStatus.IN_PROGRESS, ActionStatus.DONE, True),
        (ActionStatus.DONE, ActionStatus.IN_PROGRESS, True),
        (ActionStatus.DONE, ActionStatus.PLANNED, False),
        (ActionStatus.DONE, ActionStatus.DROPPED, False),
        (ActionStatus.DROPPED, ActionStatus.PLANNED, True),
        (ActionStatus.DROPPED, ActionStatus.DONE, False),
        (ActionStatus.DROPPED, ActionStatus.IN_PROGRESS, False),
    ],
)
def test_status_moves(current: ActionStatus, target: ActionStatus, allowed: bool) -> None:
    assert can_move(current, target) is allowed
    if allowed:
        assert move(current, target) is target
    else:
        with pytest.raises(SurveyError) as refused:
            move(current, target)
        assert (refused.value.key, refused.value.field) == ("actions.error.transition", "status")


@given(statuses, statuses)
def test_every_status_can_be_left_and_reached_back(a: ActionStatus, b: ActionStatus) -> None:
    # From any status, any other is reachable in at most three allowed moves: nothing is
    # a dead end, so a mistaken status can always be corrected.
    frontier, seen = {a}, {a}
    for _ in range(3):
        frontier = {t for s in frontier for t in ActionStatus if can_move(s, t)} - seen
        seen |= frontier
    assert b in seen and can_move(a, a)


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("planned", ActionStatus.PLANNED),
        ("In progress", ActionStatus.IN_PROGRESS),
        ("in-progress", ActionStatus.IN_PROGRESS),
        (" in_progress ", ActionStatus.IN_PROGRESS),
        ("DONE", ActionStatus.DONE),
        ("dropped", ActionStatus.DROPPED),
    ],
)
def test_status_words(typed: str, status: ActionStatus) -> None:
    assert parse_status(typed) is status


def test_an_unknown_status_names_the_known_ones() -> None:
    with pytest.raises(SurveyError) as refused:
        parse_status("finished")
    assert refused.value.params["known"] == "planned, in_progress, done, dropped"


def test_a_new_action_needs_title_owner_and_due_date_and_says_all_at_once() -> None:
    with pytest.raises(SurveyErrors) as refused:
        validate_new(
            ActionDraft(title="  ", status="later", theme="a", driver="b"),
            today=TODAY,
            platform="slack",
        )
    assert [(e.field, e.key) for e in refused.value.errors] == [
        ("title", "actions.error.required"),
        ("owner", "actions.error.required"),
        ("due", "actions.error.required"),
        ("status", "actions.error.status"),
        ("theme", "actions.error.both_subjects"),
    ]


@pytest.mark.parametrize(
    ("due", "key"),
    [
        ("2026-13-01", "actions.error.due_format"),
        ("next week", "actions.error.due_format"),
        ("2026-03-09", "actions.error.due_past"),
        ((TODAY + timedelta(days=HORIZON_DAYS + 1)).isoformat(), "actions.error.due_far"),
    ],
)
def test_due_dates_refused(due: str, key: str) -> None:
    with pytest.raises(SurveyError) as refused:
        validate_new(ActionDraft(title="t", owner="U1", due=due), today=TODAY, platform="slack")
    assert (refused.value.key, refused.value.field) == (key, "due")


@given(
    st.text(min_size=1, max_size=200),
    st.integers(min_value=-5, max_value=HORIZON_DAYS + 5),
)
def test_a_valid_new_action_keeps_its_words_and_date(title: str, offset: int) -> None:
    due = TODAY + timedelta(days=offset)
    draft = ActionDraft(title=title, owner="U1", due=due.isoformat())
    # What shows of it: controls and invisible characters go, spaces fold.
    visible = "".join(ch for ch in title if ch.isprintable() or ch in "\n\t")
    cleaned = " ".join(visible.split())
    ok = bool(cleaned) and len(cleaned) <= 120 and 0 <= offset <= HORIZON_DAYS
    if not ok:
        with pytest.raises(SurveyError):
            validate_new(draft, today=TODAY, platform="slack")
        return
    made = validate_new(draft, today=TODAY, platform="slack")
    assert (made.title, made.due, made.status) == (cleaned, due, ActionStatus.PLANNED)
    assert made.title.isprintable()


def test_an_update_changes_only_what_is_given_and_an_empty_note_clears() -> None:
    current = fields(note="first draft", due=TODAY - timedelta(days=3))
    # The due date is not given again, so an overdue action can still be marked done.
    done = validate_update(
        current, ActionDraft(status="done", note=""), today=TODAY, platform="slack"
    )
    assert done == fields(status=ActionStatus.DONE, note=None, due=TODAY - timedelta(days=3))
    same_day = validate_update(
        current, ActionDraft(due=current.due.isoformat()), today=TODAY, platform="slack"
    )
    assert same_day == current


def test_an_update_refuses_a_bad_move_and_a_past_date_together() -> None:
    current = fields(status=ActionStatus.DONE)
    with pytest.raises(SurveyErrors) as refused:
        validate_update(
            current,
            ActionDraft(status="dropped", due="2026-03-01", driver="pay"),
            today=TODAY,
            platform="slack",
        )
    assert [e.field for e in refused.value.errors] == ["due", "status", "theme"]


@given(statuses, days, days)
def test_overdue_is_open_and_past_due(status: ActionStatus, due: date, today: date) -> None:
    assert is_overdue(status, due, today=today) == (status in OPEN and due < today)


@given(statuses, days, days, st.integers(min_value=0, max_value=60))
def test_a_reminder_falls_in_the_lead_window_and_never_with_an_overdue(
    status: ActionStatus, due: date, today: date, lead: int
) -> None:
    due_now = reminder_due(status, due, today=today, lead_days=lead)
    assert due_now == (status in OPEN and 0 <= (due - today).days <= lead)
    assert not (due_now and is_overdue(status, due, today=today))


@pytest.mark.parametrize(
    ("platform", "owner", "kept"),
    [
        ("slack", "U0123ABCD", True),
        ("slack", "W0123ABCD", True),
        ("slack", "Ann", False),
        ("slack", "@ann", False),
        ("slack", "0", False),
        ("discord", "123456789012345678", True),
        ("discord", "Ann", False),
        ("discord", "42", False),
        ("console", "ann", True),
        ("console", "ann lee", False),
    ],
)
def test_the_owner_is_a_person_of_the_platform_by_their_user_id(
    platform: str, owner: str, kept: bool
) -> None:
    # Their reminder is a direct message: a name or a handle would be sent nowhere.
    draft = ActionDraft(title="t", owner=owner, due=TODAY.isoformat())
    current = validate_new(
        ActionDraft(
            title="t", owner="U0OWNER01" if platform == "slack" else "ann", due=TODAY.isoformat()
        ),
        today=TODAY,
        platform="slack" if platform == "slack" else "console",
    )
    if kept:
        assert validate_new(draft, today=TODAY, platform=platform).owner == owner
        return
    for refused_call in (
        lambda: validate_new(draft, today=TODAY, platform=platform),
        lambda: validate_update(current, ActionDraft(owner=owner), today=TODAY, platform=platform),
    ):
        with pytest.raises(SurveyError) as refused:
            refused_call()
        assert (refused.value.field, refused.value.key) == ("owner", "actions.error.owner_id")
