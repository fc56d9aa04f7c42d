"""Action plans in the console as a real process with piped input: the form as text,
every refusal beside its option, an action added, updated and listed, the preview."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.adapters.console.test_console_cli import env_for, nps


def test_an_admin_manages_actions_from_the_console(tmp_path: Path) -> None:
    due = (datetime.now(UTC).date() + timedelta(days=10)).isoformat()
    script = "\n".join(
        [
            "",
            "/nps actions add",
            "/nps actions add --due 2020-01-01 --owner local",
            f"/nps actions add --title 'Shorter meetings' --owner local --due {due}",
            "/nps actions update #1 --status done --note 'Agenda first'",
            "/nps actions",
            "/nps actions preview",
            "",
        ]
    )
    done = nps(
        ["console", "--user", "ivy", "--admin"], cwd=tmp_path, stdin=script, env=env_for(tmp_path)
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Add an action\n  What will be done (--title):" in out
    assert "Or type: /nps actions add default --title TEXT" in out
    assert "✗ --title: This is required." in out
    assert "✗ --due: The due date has already passed." in out
    assert "✓ Action #1 added to default: Shorter meetings" in out
    assert "✓ Action #1 of default saved; it is done." in out
    assert "#1 Shorter meetings" in out and "Agenda first" in out
    assert "We did: Shorter meetings." in out


def test_someone_who_is_not_an_admin_is_refused(tmp_path: Path) -> None:
    done = nps(
        ["console", "--user", "ivy"],
        cwd=tmp_path,
        stdin="\n/nps actions\n",
        env=env_for(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert "Only survey admins" in done.stdout
