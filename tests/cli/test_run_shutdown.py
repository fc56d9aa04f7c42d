"""`nps-bot run` with Slack and Discord connected stops cleanly on SIGTERM and SIGINT."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from bench.memory import running_bot
from tests.support.waiting import HANG_GUARD_SECONDS


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
async def test_a_stop_signal_closes_both_platforms_and_exits_zero(
    number: signal.Signals, tmp_path: Path
) -> None:
    async with running_bot(tmp_path) as (process, log_path):
        process.send_signal(number)
        code = await asyncio.wait_for(process.wait(), timeout=HANG_GUARD_SECONDS)
        log = log_path.read_text()

    assert code == 0, log
    assert "Traceback" not in log, log
    assert log.index("stopping:") < log.index("stopped"), log
