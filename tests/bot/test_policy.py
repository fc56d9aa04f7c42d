"""The frequency cap: a table of cases, then properties over random histories."""

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
    may_ask,
    next_eligible_date,
)
from storage.models import Survey

DEFAULT = FrequencyPolicy()
D = date(2026, 1, 1)


def days(*offsets: int) -> list[date]:
    return [D + timedelta(days=offset) for offset in offsets]


@pytest.mark.parametrize(
    ("history", "today", "eligible", "next_date"),
    [
        ([], 0, True, None),  # never asked
        ([0], 0, False, 150),  # asked today
        ([0], 149, False, 150),  # one day short of the gap
        ([0], 150, True, None),  # gap reached
        ([0, 150], 300, False, 365),  # gap met, but a third ask inside 365 days
        ([0, 150], 364, False, 365),
        ([0, 150], 365, True, None),  # the first ask left the window
        ([0, 200], 350, False, 365),  # gap after 200 is day 350: window still binds
        ([0, 300], 365, False, 450),  # window met, gap from day 300 binds
        ([0, 300], 450, True, None),
        ([300, 0], 450, True, None),  # order of history does not matter
        ([0, 150, 365], 515, True, None),  # a long history, spaced correctly
        ([0, 150, 365], 514, False, 515),
    ],
)
def test_default_policy_table(
    history: list[int], today: int, eligible: bool, next_date: int | None
) -> None:
    verdict = eligibility(
        asked_on=days(*history), opted_out=False, policy=DEFAULT, today=D + timedelta(days=today)
    )
    assert verdict.eligible is eligible
    expected = None if next_date is None else D + timedelta(days=next_date)
    assert verdict.next_date == expected
    assert verdict.refusal is (None if eligible else Refusal.TOO_SOON)


def test_opted_out_is_never_eligible_and_has_no_next_date() -> None:
    verdict = eligibility(asked_on=[], opted_out=True, policy=DEFAULT, today=D)
    assert (verdict.eligible, verdict.refusal, verdict.next_date) == (
        False,
        Refusal.OPTED_OUT,
        None,
    )


@pytest.mark.parametrize(
    ("policy", "history", "today", "eligible"),
    [
        (FrequencyPolicy(max_asks=1, window_days=30, min_gap_days=0), [0], 29, False),
        (FrequencyPolicy(max_asks=1, window_days=30, min_gap_days=0), [0], 30, True),
        (FrequencyPolicy(max_asks=4, window_days=365, min_gap_days=60), [0, 60, 120], 180, True),
        (FrequencyPolicy(max_asks=3, window_days=365, min_gap_days=60), [0, 60, 120], 180, False),
        (FrequencyPolicy(max_asks=2, window_days=365, min_gap_days=0), [0, 0], 1, False),
    ],
)
def test_configured_policies(
    policy: FrequencyPolicy, history: list[int], today: int, eligible: bool
) -> None:
    verdict = eligibility(
        asked_on=days(*history), opted_out=False, policy=policy, today=D + timedelta(days=today)
    )
    assert verdict.eligible is eligible


@pytest.mark.parametrize("kwargs", [{"max_asks": 0}, {"window_days": 0}, {"min_gap_days": -1}])
def test_invalid_policies_are_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        FrequencyPolicy(**kwargs)


policies = st.builds(
    FrequencyPolicy,
    max_asks=st.integers(1, 4),
    window_days=st.integers(1, 400),
    min_gap_days=st.integers(0, 200),
)


@settings(max_examples=200, deadline=None)
@given(policy=policies, attempts=st.lists(st.integers(0, 3), min_size=1, max_size=40))
def test_following_the_policy_never_breaks_it(policy: FrequencyPolicy, attempts: list[int]) -> None:
    """Someone who tries to ask whenever allowed never exceeds the cap or the gap."""
    asked: list[date] = []
    today = D
    for step in attempts:
        today += timedelta(days=step * 37)
        if eligibility(asked_on=asked, opted_out=False, policy=policy, today=today).eligible:
            asked.append(today)
    for earlier, later in itertools.pairwise(asked):
        assert (later - earlier).days >= policy.min_gap_days
    for end in asked:
        assert asks_in_window(asked, end=end, window_days=policy.window_days) <= policy.max_asks


@settings(max_examples=200, deadline=None)
@given(policy=policies, history=st.lists(st.integers(0, 2000), max_size=6))
def test_next_date_is_exactly_the_first_eligible_day(
    policy: FrequencyPolicy, history: list[int]
) -> None:
    asked = days(*history)
    first = next_eligible_date(asked, policy)
    if first is None:
        assert not asked
        return
    yes = eligibility(asked_on=asked, opted_out=False, policy=policy, today=first)
    no = eligibility(asked_on=asked, opted_out=False, policy=policy, today=first - timedelta(1))
    assert yes.eligible and not no.eligible and no.next_date == first


@pytest.mark.parametrize(
    ("active", "opted_out", "history", "today", "refusal"),
    [
        (True, False, [], 0, None),
        (False, False, [], 0, Refusal.INACTIVE),  # a paused or closed survey asks no one
        (False, True, [0], 1, Refusal.INACTIVE),  # ... and says so before anything else
        (True, True, [], 0, Refusal.OPTED_OUT),
        (True, True, [0], 1, Refusal.OPTED_OUT),  # the opt-out before the cap
        (True, False, [0], 1, Refusal.TOO_SOON),
        (True, False, [0], 150, None),
    ],
)
def test_may_ask_table(
    active: bool, opted_out: bool, history: list[int], today: int, refusal: Refusal | None
) -> None:
    verdict = may_ask(
        active=active,
        opted_out=opted_out,
        asked_on=days(*history),
        policy=DEFAULT,
        today=D + timedelta(days=today),
    )
    assert (verdict.eligible, verdict.refusal) == (refusal is None, refusal)
    assert (verdict.next_date is not None) is (refusal is Refusal.TOO_SOON)


@settings(max_examples=200, deadline=None)
@given(
    policy=policies,
    active=st.booleans(),
    opted_out=st.booleans(),
    history=st.lists(st.integers(0, 2000), max_size=6),
    today=st.integers(0, 2500),
)
def test_may_ask_is_the_cap_on_an_active_survey_and_no_on_any_other(
    policy: FrequencyPolicy, active: bool, opted_out: bool, history: list[int], today: int
) -> None:
    asked, day = days(*history), D + timedelta(days=today)
    verdict = may_ask(active=active, opted_out=opted_out, asked_on=asked, policy=policy, today=day)
    if active:
        assert verdict == eligibility(asked_on=asked, opted_out=opted_out, policy=policy, today=day)
    else:
        assert not verdict.eligible and verdict.refusal is Refusal.INACTIVE
        assert verdict.next_date is None


def test_a_surveys_policy_is_built_from_its_own_cap_settings() -> None:
    survey = Survey(name="s", cap_max_asks=3, cap_window_days=90, cap_min_gap_days=20)
    assert FrequencyPolicy.of(survey) == FrequencyPolicy(
        max_asks=3, window_days=90, min_gap_days=20
    )
    assert FrequencyPolicy.of(Survey(name="defaults")) == DEFAULT
