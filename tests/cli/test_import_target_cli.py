"""``nps-bot import`` into a chosen tenant's survey; a survey name nobody created is refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run

WHERE = ("--platform", "slack", "--tenant", "T0IMPORT1")
LINES = "date,score,team\n" + "".join(f"2026-03-0{day},9,A\n" for day in range(1, 6))


def test_answers_land_in_the_named_survey_of_the_named_tenant(
    nps_bot: Run, csv_file: Callable[[str], Path]
) -> None:
    nps_bot("survey", "create", "--survey", "pulse", *WHERE)
    done = nps_bot("import", str(csv_file(LINES)), *WHERE, "--survey", "pulse")
    assert "imported 5 answers into survey 'pulse'" in done.stderr
    (line,) = nps_bot("report", "--json", *WHERE).stdout.splitlines()
    report = json.loads(line)
    assert (report["survey"], report["platform"], report["tenant"], report["n"]) == (
        "pulse",
        "slack",
        "T0IMPORT1",
        5,
    )


def test_a_mistyped_survey_is_refused_and_nothing_is_imported(
    nps_bot: Run, csv_file: Callable[[str], Path]
) -> None:
    nps_bot("survey", "create", "--survey", "pulse", *WHERE)
    done = nps_bot("import", str(csv_file(LINES)), *WHERE, "--survey", "puls", check=False)
    assert done.returncode == 1
    assert "there is no survey 'puls' in this tenant" in done.stderr
    assert "nothing was imported" in done.stderr
    named = csv_file("date,score,survey\n2026-03-01,9,pulse\n2026-03-01,9,typo\n")
    assert nps_bot("import", str(named), *WHERE, check=False).returncode == 1
    (line,) = nps_bot("report", "--json", *WHERE).stdout.splitlines()
    assert json.loads(line)["n"] == 0  # not even the rows naming "pulse"


def test_an_unknown_tenant_is_refused(nps_bot: Run, csv_file: Callable[[str], Path]) -> None:
    done = nps_bot("import", str(csv_file(LINES)), *WHERE, check=False)
    assert done.returncode == 1 and "no tenant 'T0IMPORT1'" in done.stderr
    assert nps_bot("report", "--json").stdout == ""


def test_a_shift_jis_file_from_a_spreadsheet_imports(nps_bot: Run, tmp_path: Path) -> None:
    path = tmp_path / "sjis.csv"
    path.write_bytes("date,score,reason\n2026-03-01,3,遅い\n".encode("shift_jis"))
    assert "imported 1 answer into survey 'default'" in nps_bot("import", str(path)).stderr


def test_a_console_tenant_id_that_names_no_workspace_is_refused_and_nothing_is_imported(
    nps_bot: Run, csv_file: Callable[[str], Path]
) -> None:
    for tenant in ("", "t" * 65):
        done = nps_bot(
            "import", str(csv_file(LINES)), "--platform", "console", "--tenant", tenant,
            "--create-surveys", check=False,
        )  # fmt: skip
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.strip().splitlines() == [
            "error: a workspace or guild id is 1 to 64 letters, digits and _ . : -, with no space: "
            "nothing was imported"
        ]
    assert "console" not in nps_bot("survey", "list").stdout
