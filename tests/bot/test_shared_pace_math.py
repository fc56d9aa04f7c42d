"""The shared pace's bucket: starts at least one interval apart, none wasted, clock given."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.pacing import Grant, take_token

arrivals = st.lists(st.floats(min_value=0, max_value=50, allow_nan=False), min_size=1, max_size=80)
intervals = st.floats(min_value=0.001, max_value=2, allow_nan=False)


def grants(times: list[float], interval: float) -> list[Grant]:
    """Each caller asking at its time, in that order, from a bucket never used."""
    due: float | None = None
    granted = []
    for now in times:
        grant = take_token(due, now=now, interval=interval)
        due = grant.due
        granted.append(grant)
    return granted


@settings(max_examples=200)
@given(times=arrivals, interval=intervals)
def test_starts_are_an_interval_apart_and_never_before_the_ask(
    times: list[float], interval: float
) -> None:
    times.sort()
    granted = grants(times, interval)

    for asked, grant in zip(times, granted, strict=True):
        assert grant.start >= asked
        assert grant.due == pytest.approx(grant.start + interval)
    for before, after in itertools.pairwise(granted):
        assert after.start - before.start >= interval * (1 - 1e-9)


@settings(max_examples=200)
@given(times=arrivals, interval=intervals, length=st.floats(min_value=0.001, max_value=20))
def test_no_stretch_holds_more_starts_than_the_rate_allows(
    times: list[float], interval: float, length: float
) -> None:
    times.sort()
    starts = [grant.start for grant in grants(times, interval)]

    allowed = math.floor(length / interval * (1 + 1e-9)) + 1
    for first, start in enumerate(starts):
        inside = [s for s in starts[first:] if s < start + length]
        assert len(inside) <= allowed


@settings(max_examples=200)
@given(times=arrivals, interval=intervals)
def test_no_slot_is_wasted_while_someone_asks(times: list[float], interval: float) -> None:
    # Each caller starts at the later of its ask and the start the one before it left
    # due: the pace never makes anyone wait longer than the rate requires.
    times.sort()
    granted = grants(times, interval)

    assert granted[0].start == times[0]
    for asked, before, grant in zip(times[1:], granted[:-1], granted[1:], strict=True):
        assert grant.start == max(asked, before.due)


def test_callers_asking_at_once_queue_one_interval_apart() -> None:
    granted = grants([10.0] * 4, 0.25)

    assert [grant.start for grant in granted] == [10.0, 10.25, 10.5, 10.75]
    assert [grant.wait(10.0) for grant in granted] == [0.0, 0.25, 0.5, 0.75]


def test_a_bucket_left_idle_grants_at_once_without_a_burst_of_saved_tokens() -> None:
    _, second = grants([0.0, 100.0], 0.5)
    third = take_token(second.due, now=100.0, interval=0.5)

    assert second.start == 100.0 and second.wait(100.0) == 0.0
    assert third.start == 100.5


def test_the_interval_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        take_token(None, now=0.0, interval=0.0)
