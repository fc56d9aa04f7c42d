"""Logs are structured and never carry who answered or what they wrote."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.runtime.logs import OUR_LOGGERS, JsonFormatter, configure_logging
from tests.support.waiting import HANG_GUARD_SECONDS


def test_json_lines_carry_event_level_and_extra_fields() -> None:
    record = logging.makeLogRecord(
        {"name": "bot.waves", "levelname": "INFO", "msg": "sent %d", "args": (3,), "wave": "w1"}
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["event"] == "sent 3" and entry["level"] == "INFO" and entry["wave"] == "w1"
    assert entry["logger"] == "bot.waves" and "ts" in entry


def test_debug_logs_of_a_whole_conversation_hold_no_identity_or_text(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        NPS_PEPPER="log-test-pepper-" + "z" * 32,
        LOG_LEVEL="DEBUG",
        LOG_FORMAT="json",
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--user", "quentin-secret-id", "--admin"],
        input="4\nthe canteen is awful\n/nps report\n/nps forget-me\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=HANG_GUARD_SECONDS,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "quentin-secret-id" not in done.stderr
    assert "canteen" not in done.stderr
    for line in filter(None, done.stderr.splitlines()):
        json.loads(line)  # every line is one JSON object


@pytest.fixture
def logging_restored() -> Iterator[None]:
    """Put the root logger's handlers and our loggers' levels back after the test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    ours = {name: logging.getLogger(name).level for name in OUR_LOGGERS}
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, saved in ours.items():
            logging.getLogger(name).setLevel(saved)


def test_lines_go_to_the_stderr_of_the_moment_they_are_logged(
    monkeypatch: pytest.MonkeyPatch, logging_restored: None
) -> None:
    """A process (or a test runner) may replace ``sys.stderr`` after logging is set up
    and close the stream it replaced: later lines go to the new one, with no error."""
    before, after = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", before)
    configure_logging("INFO", style="text")
    monkeypatch.setattr(sys, "stderr", after)
    before.close()

    logging.getLogger("bot.waves").info("wave opened")

    written = after.getvalue()
    assert "Logging error" not in written
    assert written.endswith("INFO bot.waves: wave opened\n")
