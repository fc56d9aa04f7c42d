"""Survey names an operator types to ``nps-bot``: only what shows as itself is a name, on
every path that makes a survey (``survey create``, ``import --create-surveys``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Run

HIDDEN = {
    "line break": "pulse\nq3",
    "tab": "pulse\tq3",
    "bidi override": "pulse\u202e3q",
    "zero-width space": "pul\u200bse",
    "zero-width joiner": "pulse\u200d",
    "escape": "pulse\x1b[31m",
    "space at the start": " pulse",
    "space at the end": "pulse ",
}


@pytest.mark.parametrize("name", HIDDEN.values(), ids=HIDDEN.keys())
def test_a_name_with_a_hidden_character_is_refused_and_nothing_is_created(
    nps_bot: Run, name: str
) -> None:
    done = nps_bot("survey", "create", "--survey", name, "--platform", "console", check=False)
    assert done.returncode == 1
    assert "error: a name holds only visible characters and spaces" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1  # one line, whatever the name held
    assert "console" not in nps_bot("survey", "list").stdout


def test_visible_names_in_any_script_with_inner_spaces_are_taken(nps_bot: Run) -> None:
    for name in ("pulse q3", "社員　満足度", "Café — 2026"):
        nps_bot("survey", "create", "--survey", name, "--platform", "console")
        assert name in nps_bot("survey", "status", "--survey", name, "--platform", "console").stdout


def test_an_import_that_would_create_a_survey_with_a_tab_is_refused_by_line(
    nps_bot: Run, csv_file: Callable[[str], Path]
) -> None:
    lines = 'date,score,survey\n2026-03-01,9,pulse\n2026-03-02,8,"pul\tse"\n'
    done = nps_bot("import", str(csv_file(lines)), "--create-surveys", check=False)
    assert done.returncode == 1
    assert "line 3: survey 'pul\\tse' is no survey name" in done.stderr
    assert nps_bot("survey", "list").stdout.count("console") == 0  # not even "pulse"
