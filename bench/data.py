"""Synthetic answers for the benchmark, generated inside SQLite in one statement.

Rows are produced by a recursive CTE and ``INSERT … SELECT``, so a million answers take
seconds rather than the minutes row-by-row inserts through an ORM would.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from storage.migrate import upgrade

SEGMENT_KEY = "team"
TEAMS = 10
MONTHS = 24


@dataclass(frozen=True)
class Dataset:
    """Where the generated answers live and what the report should be asked for."""

    path: Path
    url: str
    survey: str
    rows: int


async def generate(directory: Path, *, rows: int) -> Dataset:
    """Create a migrated SQLite database in ``directory`` holding ``rows`` answers.

    Answers are spread over :data:`TEAMS` teams and :data:`MONTHS` months, with scores
    drawn from a skewed distribution so segments and months differ.
    """
    path = directory / "bench.db"
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade(url)
    tenant_id, survey_id = uuid.uuid4().hex, uuid.uuid4().hex
    created = datetime(2024, 1, 1, tzinfo=UTC).isoformat(sep=" ")
    with sqlite3.connect(path) as connection:
        # A throw-away file: no journal, no fsync; the data need not survive a crash.
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute(
            "INSERT INTO tenant (id, platform, external_id, locale, settings, created_at)"
            " VALUES (?, 'bench', 'bench', 'en', '{}', ?)",
            (tenant_id, created),
        )
        connection.execute(
            "INSERT INTO survey (id, tenant_id, name, kind, subject, audience, timezone,"
            " k_min, k_comments, cap_max_asks, cap_window_days, cap_min_gap_days, status,"
            " created_at) VALUES (?, ?, 'bench', 'enps', '', '{}', 'UTC', 5, 8, 2, 365,"
            " 150, 'active', ?)",
            (survey_id, tenant_id, created),
        )
        connection.execute(
            """
            WITH RECURSIVE counter(x) AS (
                SELECT 0 UNION ALL SELECT x + 1 FROM counter WHERE x + 1 < ?
            )
            INSERT INTO response
                (id, tenant_id, survey_id, wave_id, score, reason, segments, answered_on)
            SELECT lower(hex(randomblob(16))), ?, ?, NULL,
                   -- skew: teams with a higher number and later months score higher
                   min(10, abs(random()) % 9 + (x % ?) % 3 + (x / ?) % ? / 12),
                   NULL,
                   json_object(?, 'team-' || (x % ?)),
                   date('2024-01-01', '+' || ((x / ?) % ?) || ' months',
                        '+' || (abs(random()) % 28) || ' days')
            FROM counter
            """,
            (rows, tenant_id, survey_id, TEAMS, TEAMS, MONTHS, SEGMENT_KEY, TEAMS, TEAMS, MONTHS),
        )
    return Dataset(path=path, url=url, survey="bench", rows=rows)
