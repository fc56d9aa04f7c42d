"""``nps-bot export --format csv``: what respondents and labels wrote opens as text.

A reason or label that starts like a formula (``=``, ``+``, ``-``, ``@``, tab, carriage
return) is written with a single quote in front and quoted, so a spreadsheet shows it
instead of running it; the score stays a bare number.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bot.domain.csv_rows import ImportedAnswer
from bot.runtime.services import Services
from bot.usecases.transfer.importer import import_answers
from tests.cli.conftest import Run
from tests.conftest import TEST_PEPPER
from tests.support.waiting import HANG_GUARD_SECONDS

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1",
    "@SUM(A1)",
    "-2+3",
]


def import_file(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def test_reasons_labels_and_label_names_are_neutralised_and_scores_stay_numbers(
    nps_bot: Run, csv_file: Callable[[str], Path]
) -> None:
    rows = [["date", "score", "reason", "team", "+where"]]
    rows += [["2026-03-01", str(score), text, text, text] for score, text in enumerate(HOSTILE)]
    rows += [["2026-03-02", "10", "fine, really", "Ops", "HQ"]]
    nps_bot("import", str(csv_file(import_file(rows))))

    written = nps_bot("export", "--format", "csv", "--raw").stdout
    header, *records = csv.reader(io.StringIO(written, newline=""))

    assert header[:5] == ["survey", "date", "score", "category", "reason"]
    assert header[-2:] == ["'+where", "team"]
    assert all(not cell.startswith(TRIGGERS) for record in records for cell in record)
    rows_by_name = [dict(zip(header, record, strict=True)) for record in records]
    by_score = {int(row["score"]): row for row in rows_by_name}
    for score, text in enumerate(HOSTILE):
        row = by_score[score]
        assert (row["reason"], row["'+where"], row["team"]) == ("'" + text,) * 3
        assert (row["survey"], row["date"], row["category"]) == (
            "default",
            "2026-03-01",
            "detractor",
        )
    plain = by_score[10]
    assert (plain["reason"], plain["'+where"], plain["team"]) == ("fine, really", "HQ", "Ops")
    # On the wire: text quoted (the formula's own quotes doubled), the score bare.
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in written
    lines = written.splitlines()
    assert all(re.match(r'^"default","2026-03-0\d",\d{1,2},"', line) for line in lines[1:])


def test_an_exported_file_imports_again_with_its_words_unchanged(
    nps_bot: Run, csv_file: Callable[[str], Path]
) -> None:
    rows = [["date", "score", "reason", "+where"]]
    rows += [["2026-03-01", str(score), text, text] for score, text in enumerate(HOSTILE)]
    nps_bot("import", str(csv_file(import_file(rows))))
    exported = nps_bot("export", "--format", "csv", "--raw").stdout

    nps_bot("import", str(csv_file(exported)))  # into the same survey: every answer twice

    records = [
        json.loads(line)
        for line in nps_bot("export", "--format", "json", "--raw").stdout.splitlines()
    ]
    assert sorted((r["reason"], r["+where"]) for r in records) == sorted(
        [(text, text) for text in HOSTILE] * 2
    )


async def test_a_leading_tab_or_carriage_return_is_neutralised_too(services: Services) -> None:
    # Tabs and returns around a cell are trimmed on import; stored labels can hold them.
    answers = [
        ImportedAnswer(
            survey="pulse",
            answered_on=date(2026, 3, 1),
            score=score,
            reason=reason,
            segments={"team": team},
        )
        for score, reason, team in [(3, "\t=1+1", "\r=2"), (9, "\r@A1", "\t+3")]
    ]
    async with services.database.transaction() as session:
        await import_answers(
            session,
            answers=answers,
            kind="nps",
            subject="",
            default_locale="en",
            now=services.clock(),
            create_surveys=True,
        )

    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "export", "--format", "csv", "--raw"],
        capture_output=True,  # bytes: text mode would turn a lone "\r" into a line break
        env={
            **os.environ,
            "DATABASE_URL": services.settings.database_url,
            "NPS_PEPPER": TEST_PEPPER,
            "LOG_LEVEL": "WARNING",
        },
        timeout=HANG_GUARD_SECONDS,
        check=True,
    )
    records = csv.DictReader(io.StringIO(done.stdout.decode("utf-8"), newline=""))
    cells = {int(record["score"]): (record["reason"], record["team"]) for record in records}
    assert cells == {3: ("'\t=1+1", "'\r=2"), 9: ("'\r@A1", "'\t+3")}
