"""Logs are structured and never carry who answered or what they wrote."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from bot.runtime.logs import JsonFormatter


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
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "quentin-secret-id" not in done.stderr
    assert "canteen" not in done.stderr
    for line in filter(None, done.stderr.splitlines()):
        json.loads(line)  # every line is one JSON object
