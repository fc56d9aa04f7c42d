"""The burst bench's ceiling: what the machine's cores and the burst's own pace allow."""

from __future__ import annotations

import pytest

from bench import burst
from bench.cpu import CpuSplit


def _burst(
    replicas: int, *, spread: float, stored: int, seconds: float, bots: float, rest: float
) -> burst.Burst:
    return burst.Burst(
        replicas=replicas,
        spread=spread,
        acks=[0.01] * stored,
        statuses={200: stored},
        stored=stored,
        seconds=seconds,
        cpu=CpuSplit(bots=bots, database=rest / 2, bench=rest / 2, machine=bots + rest),
    )


def test_the_cores_bound_two_replicas_when_the_burst_outpaces_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(burst, "CORES", 2)
    # 1,000 answers at 10 ms of bot CPU each: one process stores 100 a second at most.
    one = _burst(1, spread=1.0, stored=1_000, seconds=10.0, bots=10.0, rest=0.0)
    # Two bots at 10 ms each plus 5 ms of the database and the bench: 2 cores hold 133/s.
    two = _burst(2, spread=1.0, stored=1_000, seconds=7.5, bots=10.0, rest=5.0)

    bound = burst.ceiling(one, two)

    assert bound is not None
    assert bound.one_process == pytest.approx(100.0)
    assert bound.two_replicas == pytest.approx(2 / 0.015)
    assert bound.ratio == pytest.approx(4 / 3)


def test_a_burst_one_process_keeps_up_with_leaves_nothing_to_scale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(burst, "CORES", 8)
    # 2,000 clicks over 10 s are 200 a second; one bot could store 250 a second.
    one = _burst(1, spread=10.0, stored=2_000, seconds=10.2, bots=8.0, rest=2.0)
    two = _burst(2, spread=10.0, stored=2_000, seconds=10.1, bots=9.0, rest=2.0)

    bound = burst.ceiling(one, two)

    assert bound is not None
    assert bound.offered == pytest.approx(200.0)
    assert bound.one_process == pytest.approx(200.0)
    assert bound.two_replicas == pytest.approx(200.0)
    assert bound.ratio == pytest.approx(1.0)


def test_no_cpu_figures_no_ceiling() -> None:
    one = burst.Burst(
        replicas=1, spread=1.0, acks=[0.01], statuses={200: 1}, stored=1, seconds=1.0, cpu=None
    )

    assert burst.ceiling(one, one) is None
