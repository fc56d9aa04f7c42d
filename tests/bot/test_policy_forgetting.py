"""The hold forget-me keeps in place of a person's ask dates: a table of cases, then
properties over random histories with forget-me at random moments."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.policy import (
    FrequencyPolicy,
    Refusal,
    asks_in_window,
    eligibility,
    hold_after_forgetting,
    hold_lapses_on,
    may_ask,
    next_eligible_date,
)

DEFAULT = FrequencyPolicy()
MONTHLY = FrequencyPolicy(max_asks=1, window_days=30, min_gap_days=0)
D = date(2026, 1, 1)  # a Thursday


def day(offset: int) -> date:
    return D + timedelta(days=offset)


@pytest.mark.parametrize(
    ("policy", "history", "hold", "today", "kept"),
    [
        (DEFAULT, [], None, 0, None),  # never asked: nothing to keep
        (DEFAULT, [0], None, 0, 151),  # answered today: day 150 is a Sunday, kept as Monday
        (DEFAULT, [0], None, 149, 151),
        (DEFAULT, [0], None, 150, 150),  # may be asked today, but day 0 is still in the window
        (DEFAULT, [0], None, 365, None),  # day 0 left the window: nothing to keep
        (DEFAULT, [0, 150], None, 200, 368),  # the window binds (day 365, a Friday)
        (DEFAULT, [], 151, 10, 151),  # forgetting again keeps the same hold
        (DEFAULT, [], 150, 150, 150),
        (DEFAULT, [200], 151, 210, 368),  # asked after a hold: it counts as an ask on day 1
        (MONTHLY, [0], None, 10, 32),  # day 30 is a Saturday
        (MONTHLY, [0], None, 30, None),  # one ask a month: nothing older than the last counts
        (MONTHLY, [], 32, 31, 32),
    ],
)
def test_what_forget_me_keeps(
    policy: FrequencyPolicy, history: list[int], hold: int | None, today: int, kept: int | None
) -> None:
    found = hold_after_forgetting(
        [day(offset) for offset in history],
        policy,
        not_before=None if hold is None else day(hold),
        today=day(today),
    )
    assert found == (None if kept is None else day(kept))


@pytest.mark.parametrize(
    ("history", "hold", "today", "refusal", "next_date"),
    [
        ([], 151, 0, Refusal.TOO_SOON, 151),  # forgot right after answering
        ([], 151, 150, Refusal.TOO_SOON, 151),
        ([], 151, 151, None, None),
        ([151], 151, 300, Refusal.TOO_SOON, 366),  # the hold still counts in the window
        ([151], 151, 366, None, None),
        ([], 150, 150, None, None),  # a hold of the day it was kept asks at once
    ],
)
def test_may_ask_reads_the_hold(
    history: list[int], hold: int, today: int, refusal: Refusal | None, next_date: int | None
) -> None:
    verdict = may_ask(
        active=True,
        opted_out=False,
        asked_on=[day(offset) for offset in history],
        not_before=day(hold),
        policy=DEFAULT,
        today=day(today),
    )
    assert (verdict.refusal, verdict.next_date) == (
        refusal,
        None if next_date is None else day(next_date),
    )


def test_an_opt_out_and_an_inactive_survey_still_come_before_the_hold() -> None:
    held = {"asked_on": [], "not_before": day(151), "policy": DEFAULT, "today": D}
    assert may_ask(active=False, opted_out=False, **held).refusal is Refusal.INACTIVE
    assert may_ask(active=True, opted_out=True, **held).refusal is Refusal.OPTED_OUT


policies = st.builds(
    FrequencyPolicy,
    max_asks=st.integers(1, 4),
    window_days=st.integers(1, 400),
    min_gap_days=st.integers(0, 200),
)


@settings(max_examples=300, deadline=None)
@given(
    policy=policies,
    steps=st.lists(st.tuples(st.integers(0, 200), st.booleans()), min_size=1, max_size=40),
)
def test_forgetting_never_lets_anyone_be_asked_more_than_the_cap(
    policy: FrequencyPolicy, steps: list[tuple[int, bool]]
) -> None:
    """Someone who asks whenever allowed and forgets at random moments: every ask they
    were ever asked, forgotten or not, keeps the gap and the window."""
    kept: list[date] = []
    hold: date | None = None
    every_ask: list[date] = []
    today = D
    for wait, forget in steps:
        today += timedelta(days=wait)
        if forget:
            hold = hold_after_forgetting(kept, policy, not_before=hold, today=today)
            kept = []
        elif eligibility(
            asked_on=kept, not_before=hold, opted_out=False, policy=policy, today=today
        ).eligible:
            kept.append(today)
            every_ask.append(today)
    for earlier, later in itertools.pairwise(every_ask):
        assert (later - earlier).days >= policy.min_gap_days
    for end in every_ask:
        assert asks_in_window(every_ask, end=end, window_days=policy.window_days) <= policy.max_asks


@settings(max_examples=300, deadline=None)
@given(
    policy=policies,
    history=st.lists(st.integers(0, 1000), max_size=6),
    hold=st.none() | st.integers(0, 1200),
    later=st.integers(0, 400),
)
def test_forgetting_moves_the_next_ask_to_the_monday_on_or_after_it_at_most(
    policy: FrequencyPolicy, history: list[int], hold: int | None, later: int
) -> None:
    """The first day someone may be asked is the same after forget-me, or up to six days
    later and then a Monday; the hold kept is that Monday or the day of forgetting."""
    today = day(max(history, default=0) + later)
    asked = [day(offset) for offset in history]
    held = None if hold is None else day(hold)
    before = max(next_eligible_date(asked, policy, not_before=held) or today, today)

    kept = hold_after_forgetting(asked, policy, not_before=held, today=today)
    after = max(next_eligible_date([], policy, not_before=kept) or today, today)

    assert before <= after <= before + timedelta(days=6)
    assert after == before or after.weekday() == 0
    assert kept is None or kept == today or kept.weekday() == 0
    assert hold_after_forgetting([], policy, not_before=kept, today=today) == kept


@pytest.mark.parametrize(
    ("policy", "hold", "lapses"),
    [
        (DEFAULT, 151, 366),  # the asks it stands for (day 1) leave the 365-day window
        (FrequencyPolicy(max_asks=2, window_days=30, min_gap_days=60), 100, 100),
        (MONTHLY, 32, 32),  # one ask a month: only the day itself counts
    ],
)
def test_when_a_hold_lapses(policy: FrequencyPolicy, hold: int, lapses: int) -> None:
    assert hold_lapses_on(day(hold), policy) == day(lapses)


@settings(max_examples=300, deadline=None)
@given(
    policy=policies,
    hold=st.integers(0, 400),
    after=st.integers(0, 400),
    history=st.lists(st.integers(0, 800), max_size=5),
)
def test_a_lapsed_hold_changes_no_verdict(
    policy: FrequencyPolicy, hold: int, after: int, history: list[int]
) -> None:
    """From the day it lapses on, with any asks made since it began, the verdict is the
    same with the hold as without it: deleting it then is safe."""
    held = day(hold)
    today = hold_lapses_on(held, policy) + timedelta(days=after)
    asked = [day(hold + offset) for offset in history if day(hold + offset) <= today]
    with_hold = eligibility(
        asked_on=asked, not_before=held, opted_out=False, policy=policy, today=today
    )
    without = eligibility(asked_on=asked, opted_out=False, policy=policy, today=today)
    assert with_hold == without
