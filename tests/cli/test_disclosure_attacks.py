"""The attacks an HR admin could make with the CLI alone, and what they now get.

Each test plays one attack class end to end (import, report, export as a user runs
them) and then does the attacker's arithmetic on what was printed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.cli.conftest import Run

Report = dict[str, Any]


def rows(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def report(nps_bot: Run, *options: str) -> Report:
    (line,) = nps_bot("report", "--json", *options).stdout.splitlines()
    found: Report = json.loads(line)
    return found


def shown(lines: list[Report], name: str) -> dict[str, Report]:
    return {line[name]: line for line in lines if not line["suppressed"]}


def test_a_second_breakdown_cannot_be_subtracted_from_the_first(
    nps_bot: Run, csv_file: Callable[[str], Path]
) -> None:
    # Team A is 9 engineers and 1 manager; team B is 10 in operations. Role "eng" is
    # team A minus its manager.
    lines = (
        [f"2026-03-0{1 + i % 5},{7 + i % 4},A,eng" for i in range(9)]
        + ["2026-03-02,0,A,mgr"]
        + [f"2026-03-0{1 + i % 5},{5 + i % 6},B,ops" for i in range(10)]
    )
    nps_bot("import", str(csv_file(rows("date,score,team,role", *lines))))
    teams = shown(report(nps_bot, "--by", "team")["segments"], "label")
    roles_report = report(nps_bot, "--by", "role")
    roles = shown(roles_report["segments"], "label")
    assert set(teams) == {"A", "B"}  # the large groups keep their numbers
    assert "eng" not in roles and "mgr" not in roles
    withheld = {
        line["label"]: line["withheld"] for line in roles_report["segments"] if line["suppressed"]
    }
    assert withheld == {"eng": "reveals", "mgr": "too_few"}


def test_a_quarter_minus_its_months_does_not_give_the_withheld_month(
    nps_bot: Run, csv_file: Callable[[str], Path]
) -> None:
    lines = (
        [f"2026-01-1{i % 9},{i % 11}" for i in range(7)]
        + [f"2026-02-1{i % 9},{(3 * i) % 11}" for i in range(7)]
        + ["2026-03-03,0", "2026-03-04,10", "2026-03-05,2"]
    )
    nps_bot("import", str(csv_file(rows("date,score", *lines))))
    quarter = shown(report(nps_bot, "--period", "quarter")["trend"], "period")
    months = shown(report(nps_bot, "--period", "month")["trend"], "period")
    assert "2026-Q1" in quarter and "2026-03" not in months
    # With Q1 shown, January and February cannot both be: Q1 − Jan − Feb would be March.
    assert not {"2026-01", "2026-02"} <= set(months)


def test_one_more_answer_does_not_move_the_figures(
    nps_bot: Run, csv_file: Callable[[str], Path], tmp_path: Path
) -> None:
    lines = [f"2026-03-01,{s},A" for s in (9, 10, 7, 3, 9, 10)] + [
        f"2026-03-01,{s},B" for s in (8, 9, 2, 10, 9)
    ]
    nps_bot("import", str(csv_file(rows("date,score,team", *lines))))
    before = report(nps_bot, "--by", "team")
    nps_bot("import", str(csv_file(rows("date,score,team", "2026-03-02,0,A"))))
    after = report(nps_bot, "--by", "team")
    assert after["held_back"] is True
    # Every figure is the same: the difference of the two reports is empty.
    for key in ("n", "distribution", "segments", "trend", "nps"):
        assert after[key] == before[key], key
    # Four more (k = 5 new answers) move the figures, and the team of the one answer
    # still cannot be read from the difference: a team that gained fewer than k is
    # withheld rather than shown with its new count.
    more = [f"2026-03-03,{s},B" for s in (9, 9, 8, 10)]
    nps_bot("import", str(csv_file(rows("date,score,team", *more))))
    later = report(nps_bot, "--by", "team")
    assert later["n"] == before["n"] + 5 and later["held_back"] is False
    earlier_teams = shown(before["segments"], "label")
    for label, line in shown(later["segments"], "label").items():
        gained = line["n"] - earlier_teams[label]["n"] if label in earlier_teams else line["n"]
        assert gained == 0 or gained >= 5


def test_export_rows_share_their_description_with_k_answers(
    nps_bot: Run, csv_file: Callable[[str], Path]
) -> None:
    lines = (
        [f"2026-03-0{1 + i % 7},{i % 11},design,ic" for i in range(6)]
        + [f"2026-03-0{1 + i % 7},{(i + 4) % 11},eng,manager" for i in range(6)]
        + [f"2026-03-0{1 + i % 7},{(i + 7) % 11},eng,ic" for i in range(7)]
        + ["2026-03-17,0,design,manager"]  # the only design manager
        + ["2026-04-02,3,eng,ic"]  # the only answer of April
    )
    nps_bot("import", str(csv_file(rows("date,score,team,role", *lines))))
    exported = list(csv.DictReader(io.StringIO(nps_bot("export", "--format", "csv").stdout)))
    descriptions: dict[tuple[str, str, str], int] = {}
    for row in exported:
        key = (row["date"], row["team"], row["role"])
        descriptions[key] = descriptions.get(key, 0) + 1
        assert len(row["date"]) <= 7  # never a day
    assert all(n >= 5 for n in descriptions.values())
    assert ("2026-03", "design", "manager") not in descriptions
    assert ("2026-04", "eng", "ic") not in descriptions
    assert ("2026-03", "eng", "ic") in descriptions  # large groups keep their detail


def test_an_export_after_a_report_cannot_be_subtracted_from_it(
    nps_bot: Run, csv_file: Callable[[str], Path]
) -> None:
    lines = [f"2026-03-0{1 + i % 7},{i % 11},A" for i in range(12)] + ["2026-03-09,0,B"]
    nps_bot("import", str(csv_file(rows("date,score,team", *lines))))
    overall = report(nps_bot)
    assert overall["n"] == 13
    exported = list(csv.DictReader(io.StringIO(nps_bot("export", "--format", "csv").stdout)))
    # Team A's 12 rows beside the overall 13 would give B's score by subtraction, so the
    # rows go out without their team, dated by quarter: all 13 alike.
    assert len(exported) == 13
    assert {(row.get("team", ""), row["date"]) for row in exported} == {("", "2026-Q1")}
    assert {row["coarsened"] for row in exported} == {"date team"}
