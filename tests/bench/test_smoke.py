"""The benchmarks run end to end at tiny sizes and print their figures and goals."""

from __future__ import annotations

import pytest

from bench import fanout, ingest, latency


def test_ingest_prints_both_rates_and_the_ratio(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)

    assert ingest.main(["--people", "5"]) == 0

    out = capsys.readouterr().out
    assert "engine" in out and "aiosqlite" in out and "answers/s" in out
    assert "engine/driver" in out


def test_latency_prints_percentiles_and_the_floor(capsys: pytest.CaptureFixture[str]) -> None:
    assert latency.main(["--clicks", "4"]) == 0

    out = capsys.readouterr().out
    assert "score clicks (4 at once)" in out
    assert "bad signature (401 floor)" in out
    assert "p99" in out


def test_percentile_takes_the_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert latency.percentile(values, 0.5) == 50.0
    assert latency.percentile(values, 0.99) == 99.0
    assert latency.percentile([3.0], 0.99) == 3.0


def test_fanout_delivers_everyone_once_and_prints_the_ratio(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert fanout.main(["--people", "30"]) == 0

    out = capsys.readouterr().out
    assert "met   every person got exactly one invitation DM" in out
    assert "met   every invitation sent, none failed or left pending" in out
    assert "limit's minimum" in out and "ratio" in out


def test_the_limits_minimum_counts_whole_windows() -> None:
    assert fanout.minimum_seconds(10) == 0.0  # one window's calls go at once
    assert fanout.minimum_seconds(11) == fanout.LIMIT_WINDOW
    assert fanout.minimum_seconds(2_000) == pytest.approx(199 * fanout.LIMIT_WINDOW)
