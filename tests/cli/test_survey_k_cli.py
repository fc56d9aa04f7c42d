"""The k an operator gives ``nps-bot survey create --k`` or ``edit --set k_min=``: from 3
to 100 on the command line as in every chat form, refused in one line otherwise."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Run

WHERE = ("--survey", "pulse", "--platform", "console")


def k_listed(nps_bot: Run) -> str:
    (row,) = [line for line in nps_bot("survey", "list").stdout.splitlines() if "pulse" in line]
    return row.rstrip(" │").rsplit("│", 1)[1].strip()


def test_a_k_above_100_is_refused_when_creating_and_nothing_is_created(nps_bot: Run) -> None:
    done = nps_bot("survey", "create", *WHERE, "--k", "101", check=False)
    assert done.returncode == 1
    assert done.stderr.strip() == "error: k can be at most 100: a larger k hides almost every group"
    assert "pulse" not in nps_bot("survey", "list").stdout
    nps_bot("survey", "create", *WHERE, "--k", "100")
    assert k_listed(nps_bot) == "100"


@pytest.mark.parametrize("k", ["101", "100000000000000000"])
def test_a_k_above_100_is_refused_when_editing_and_the_k_stays(nps_bot: Run, k: str) -> None:
    nps_bot("survey", "create", *WHERE, "--k", "7")
    done = nps_bot("survey", "edit", *WHERE, "--set", f"k_min={k}", check=False)
    assert done.returncode == 1 and "k can be at most 100" in done.stderr
    assert k_listed(nps_bot) == "7"


@pytest.mark.parametrize("typed", ["²", "٣", "9" * 5000, "-4", "7.5"])
def test_a_number_that_is_no_plain_whole_number_is_refused_without_a_traceback(
    nps_bot: Run, typed: str
) -> None:
    nps_bot("survey", "create", *WHERE, "--k", "7")
    done = nps_bot("survey", "edit", *WHERE, "--set", f"k_min={typed}", check=False)
    assert done.returncode == 2
    assert "--set k_min takes a whole number" in done.stderr and "Traceback" not in done.stderr
    assert k_listed(nps_bot) == "7"
