"""``nps-bot import`` then ``nps-bot report``: the numbers and protections end to end."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run

Z = 1.959964


def rows(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_import_then_report_json_gives_the_adjusted_wald_interval(
    nps_bot: Run, csv_file: Callable[[str], Path]
) -> None:
    scores = [10, 10, 9, 9, 9, 9, 8, 7, 6, 0]  # 6 promoters, 2 passives, 2 detractors
    path = csv_file(
        rows(
            "date,score,survey,team",
            *(f"2026-03-{i + 1:02d},{s},eng,A" for i, s in enumerate(scores)),
        )
    )
    nps_bot("import", str(path), "--create-surveys")
    (line,) = nps_bot("report", "--json").stdout.splitlines()
    report = json.loads(line)
    centre = 4 / 13  # (6.75 - 2.75) / 13
    half = Z * math.sqrt((9.5 / 13 - centre**2) / 13)
    assert (report["survey"], report["n"], report["nps"]) == ("eng", 10, 40.0)
    assert (report["promoters"], report["passives"], report["detractors"]) == (6, 2, 2)
    assert abs(report["ci_low"] - 100 * (centre - half)) < 1e-9
    assert abs(report["ci_high"] - 100 * (centre + half)) < 1e-9
    assert abs(report["margin"] - 100 * half) < 1e-9
    assert report["drivers"] is None and report["themes"] is None
    assert report["trend"][0]["period"] == "2026-03" and report["trend"][0]["n"] == 10
    assert report["distribution"] == [1, 0, 0, 0, 0, 0, 1, 1, 1, 4, 2]


def test_differencing_is_refused_through_the_cli(
    nps_bot: Run, csv_file: Callable[[str], Path]
) -> None:
    lines = ["2026-03-01,9,A" for _ in range(19)] + ["2026-03-01,0,B"]
    nps_bot("import", str(csv_file(rows("date,score,team", *lines))))
    report = json.loads(nps_bot("report", "--json", "--by", "team").stdout)
    assert report["n"] == 20 and report["nps"] == 90.0
    assert report["segments"] == [
        {"label": "A", "suppressed": True, "withheld": "reveals"},
        {"label": "B", "suppressed": True, "withheld": "too_few"},
    ]
    table = nps_bot("report", "--by", "team").stdout
    assert "withheld: fewer than 5" in table and "(n = 19)" not in table


def test_trend_by_quarter_and_unknown_period(nps_bot: Run, csv_file: Callable[[str], Path]) -> None:
    lines = [f"2026-0{1 + i % 6}-10,{i % 11}" for i in range(60)]
    nps_bot("import", str(csv_file(rows("date,score", *lines))))
    report = json.loads(nps_bot("report", "--json", "--period", "quarter").stdout)
    assert [p["period"] for p in report["trend"]] == ["2026-Q1", "2026-Q2"]
    assert report["change_from"] == "2026-Q1" and report["change_verdict"] == "no_clear_change"
    assert nps_bot("report", "--period", "fortnight", check=False).returncode == 2


def test_themes_and_quotes_above_the_threshold(
    nps_bot: Run, csv_file: Callable[[str], Path]
) -> None:
    detractors = [f"2026-03-01,2,slow builds @everyone {i}" for i in range(10)]
    promoters = [f"2026-03-01,10,great mentoring {i}" for i in range(10)]
    nps_bot("import", str(csv_file(rows("date,score,reason", *detractors, *promoters))))
    report = json.loads(nps_bot("report", "--json", "--quotes").stdout)
    assert report["themes"] is not None
    assert len(report["quotes"]["detractors"]) == 3
    assert all("@\u2060everyone" in quote for quote in report["quotes"]["detractors"])
    without = json.loads(nps_bot("report", "--json").stdout)
    assert without["quotes"] is None


def test_import_is_atomic_and_lists_every_problem(
    nps_bot: Run, csv_file: Callable[[str], Path]
) -> None:
    text = rows("date,score,team", "2026-03-01,9,A", "2026-02-30,9,A", "2026-03-01,12,B")
    done = nps_bot("import", str(csv_file(text)), check=False)
    assert done.returncode == 1
    assert "line 3: date '2026-02-30' is not an ISO date" in done.stderr
    assert "line 4: score '12' is not a whole number from 0 to 10" in done.stderr
    assert "nothing was imported" in done.stderr
    assert nps_bot("report", "--json").stdout == ""


def test_export_suppresses_small_groups_unless_raw(
    nps_bot: Run, csv_file: Callable[[str], Path]
) -> None:
    lines = ["2026-03-01,9,good,A" for _ in range(19)] + ["2026-03-01,0,bad,B"]
    nps_bot("import", str(csv_file(rows("date,score,reason,team", *lines))))
    safe = list(csv.DictReader(io.StringIO(nps_bot("export", "--format", "csv").stdout)))
    assert list(safe[0]) == ["survey", "date", "score", "category", "reason", "coarsened", "team"]
    # The one B answer cannot be described safely at any grain: it is left out, and no
    # row carries a day.
    assert len(safe) == 19
    assert {(r["date"], r["score"], r["team"], r["coarsened"]) for r in safe} == {
        ("2026-03", "9", "A", "date")
    }
    # One detractor reason is fewer than k_comments new texts: no reason is released.
    assert {r["reason"] for r in safe} == {""}
    assert "warning" not in nps_bot("export", "--format", "csv").stderr
    raw = nps_bot("export", "--format", "json", "--raw")
    assert "warning:" in raw.stderr and "--raw" in raw.stderr
    records = [json.loads(line) for line in raw.stdout.splitlines()]
    assert sorted(r["team"] for r in records) == ["A"] * 19 + ["B"]
    assert {r["category"] for r in records} == {"promoter", "detractor"}


def test_export_of_a_survey_under_k_is_empty(nps_bot: Run, csv_file: Callable[[str], Path]) -> None:
    nps_bot("import", str(csv_file(rows("date,score", "2026-03-01,9", "2026-03-02,3"))))
    assert nps_bot("export", "--format", "json").stdout == ""


def test_unmigrated_database_is_one_clear_error(unmigrated_nps_bot: Run) -> None:
    for command in (["report"], ["export", "--format", "csv"]):
        done = unmigrated_nps_bot(*command, check=False)
        assert done.returncode == 1
        assert done.stderr.strip().splitlines()[-1].endswith("run `nps-bot db upgrade`")
        assert "Traceback" not in done.stderr


def test_imported_answers_count_in_a_report_by_wave(
    nps_bot: Run, csv_file: Callable[[str], Path]
) -> None:
    scores = [10, 10, 9, 9, 8, 7, 3, 0]  # imported answers belong to no wave
    nps_bot("import", str(csv_file(rows("date,score", *(f"2026-03-01,{s}" for s in scores)))))
    report = json.loads(nps_bot("report", "--json", "--period", "wave").stdout)
    assert (report["n"], report["nps"], report["suppressed"], report["trend"]) == (
        8,
        25.0,
        False,
        [],
    )
    table = nps_bot("report", "--period", "wave").stdout
    assert "No answers yet." not in table
    assert "None of these answers belongs to a wave, so there is no trend by wave." in table
