"""Platform SDKs are imported only by the commands that use a platform."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from typer.testing import CliRunner

from bot.cli.main import app
from tests.support.waiting import HANG_GUARD_SECONDS

SDKS = ("discord", "slack_bolt", "slack_sdk")
# Runs the command line in-process, then reports which platform SDKs were imported.
PROBE = f"""
import json, sys
from bot.cli.main import app
try:
    app(sys.argv[1:])
except SystemExit as done:
    code = done.code
loaded = sorted({{name.split(".")[0] for name in sys.modules}} & {set(SDKS)!r})
print(json.dumps({{"code": code, "loaded": loaded}}))
"""


def run_probe(*args: str, cwd: Path) -> dict[str, object]:
    """Run ``nps-bot *args`` in a fresh interpreter; its exit code and the SDKs it loaded."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{cwd / 'nps.db'}"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=HANG_GUARD_SECONDS,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_db_upgrade_imports_no_platform_sdk(tmp_path: Path) -> None:
    assert run_probe("db", "upgrade", cwd=tmp_path) == {"code": 0, "loaded": []}
    assert (tmp_path / "nps.db").exists()


def test_the_help_lists_adapter_commands_without_importing_them(tmp_path: Path) -> None:
    assert run_probe("--help", cwd=tmp_path) == {"code": 0, "loaded": []}
    assert "discord" in CliRunner().invoke(app, ["--help"]).output


def test_adapter_commands_run_through_nps_bot() -> None:
    result = CliRunner().invoke(app, ["discord", "invite-url", "--application-id", "42"])
    assert result.exit_code == 0, result.output
    assert parse_qs(urlparse(result.output.strip()).query)["client_id"] == ["42"]
    helped = CliRunner().invoke(app, ["discord", "--help"])
    assert helped.exit_code == 0 and "invite-url" in helped.output and "sync" in helped.output
