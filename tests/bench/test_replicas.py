"""The replica and burst benchmarks, quick: real nps-bot processes on one PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import burst, fanout
from bench.replicas import FULL_LIMIT, Limit
from tests.conftest import require_postgres


@pytest.fixture(autouse=True)
def _postgres(postgres_admin_url: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_DATABASE_URL", require_postgres(postgres_admin_url))


def test_two_replicas_deliver_everyone_once_under_the_limit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert fanout.main(["--replicas", "2", "--quick"]) == 0

    out = capsys.readouterr().out
    assert "duplicates 0   lost 0   over the limit 0" in out
    assert "met   replicas: every person got exactly one invitation DM" in out
    assert "met   replicas: no call over the limit" in out


def test_a_replica_killed_halfway_and_restarted_sends_no_duplicate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert fanout.main(["--replicas", "2", "--kill-one", "--quick"]) == 0

    out = capsys.readouterr().out
    assert "one killed halfway and restarted" in out
    assert "duplicates 0   lost 0" in out
    assert "met   replicas: every invitation sent" in out


def test_a_burst_is_acked_and_stored_by_one_process_and_by_two(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert burst.main(["--quick"]) == 0

    out = capsys.readouterr().out
    assert "met   burst 1 process: answers stored = 100" in out
    assert "met   burst 2 replicas + proxy: answers stored = 100" in out
    assert "burst scaling" in out
    assert "burst waits     2 replicas + proxy: connections in a transaction" in out
    if Path("/proc/stat").exists():
        assert "burst cpu       1 process: per answer" in out
        assert "burst cpu       2 replicas + proxy: per answer" in out
        assert "two replicas can reach" in out


def test_the_limits_minimum_counts_whole_windows() -> None:
    assert FULL_LIMIT.minimum_seconds(FULL_LIMIT.calls) == 0.0
    assert Limit(calls=50, window=1.0).minimum_seconds(2_000) == 39.0
    assert Limit(calls=10, window=0.2).minimum_seconds(11) == 0.2
