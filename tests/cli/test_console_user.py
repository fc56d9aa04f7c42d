"""The console ``nps-bot run`` opens without tokens is named after the system's user, as
an id every command-line share can name, whatever the account's name is."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.cli.main import CONSOLE_OPERATOR, console_user
from bot.domain.audiences import is_platform_id
from tests.adapters.console.test_console_cli import env_for, nps


@given(name=st.text(max_size=80))
def test_any_account_name_becomes_an_id(name: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(getpass, "getuser", lambda: name)
        user = console_user()
    assert is_platform_id(user)
    if is_platform_id(name) and not name.startswith("_") and not name.endswith("_"):
        assert user == name  # an account name that is an id already stays as it is


def test_an_account_with_no_name_is_the_operator(monkeypatch: pytest.MonkeyPatch) -> None:
    def nameless() -> str:
        raise KeyError("getpwuid(): uid not found: 1000680000")

    monkeypatch.setattr(getpass, "getuser", nameless)
    assert console_user() == CONSOLE_OPERATOR


def test_run_talks_as_the_account_named_as_an_id(tmp_path: Path) -> None:
    env = {**env_for(tmp_path), "LOGNAME": "Ann Lee (ops)", "USER": "Ann Lee (ops)"}
    done = nps(["run"], cwd=tmp_path, stdin="9\nGreat\n", env=env)
    assert done.returncode == 0, done.stderr
    assert "talking on this console as Ann_Lee_ops " in done.stderr
    assert "Thank you!" in done.stdout
