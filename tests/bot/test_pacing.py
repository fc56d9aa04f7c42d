"""The pace keeps its long-run rate despite late wake-ups, and never bursts past it."""

from __future__ import annotations

import asyncio
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ports.pacing import PACE_HEADROOM, LocalPace, pace_under


class LateTimer:
    """A clock whose sleeps overshoot by the given amounts, as a busy event loop's do."""

    def __init__(self, lateness: list[float]) -> None:
        self.now = 0.0
        self._lateness = iter(lateness)

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds + next(self._lateness, 0.0)


def slot_times(per_second: float, lateness: list[float], slots: int) -> list[float]:
    timer = LateTimer(lateness)
    pace = LocalPace(per_second, clock=timer.clock, sleep=timer.sleep)

    async def take() -> list[float]:
        times = []
        for _ in range(slots):
            await pace.slot()
            times.append(timer.now)
        return times

    return asyncio.run(take())


@settings(max_examples=60, deadline=None)
@given(
    per_second=st.floats(min_value=1, max_value=100),
    lateness=st.lists(st.floats(min_value=0, max_value=0.99), min_size=1, max_size=60),
)
def test_late_wakeups_do_not_slow_the_pace_nor_burst_it(
    per_second: float, lateness: list[float]
) -> None:
    interval = 1 / per_second
    late = [fraction * interval for fraction in lateness]  # each under one interval
    times = slot_times(per_second, late, slots=len(late) + 1)

    # Long run: the last slot is where the grid puts it, plus at most its own lateness.
    grid_end = (len(times) - 1) * interval
    assert grid_end - 1e-9 <= times[-1] <= grid_end + max(late) + 1e-9
    # Never a burst: any stretch of time holds at most one slot more than the rate allows.
    for first, start in enumerate(times):
        window = [t for t in times[first:] if t < start + interval * 5]
        assert len(window) <= 5 + 1


def test_a_slot_a_whole_interval_late_restarts_the_grid() -> None:
    # The second wait overshoots by three intervals: the slots after it keep their
    # spacing from then on instead of catching up in a burst.
    times = slot_times(10, [0.0, 0.3, 0.0, 0.0], slots=5)
    gaps = [round(b - a, 6) for a, b in itertools.pairwise(times)]
    assert gaps == [0.1, 0.4, 0.1, 0.1]


def test_pace_under_leaves_headroom() -> None:
    assert pace_under(50) == 50 * (1 - PACE_HEADROOM) < 50
