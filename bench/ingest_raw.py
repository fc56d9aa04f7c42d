"""The raw driver baseline of the ingest bench: the same logical work as the engine's
answer path, written straight against aiosqlite or asyncpg in the fewest statements
that keep the same guarantees, as a driver author would write it.

Per person, like the engine (see :mod:`bench.ingest`):

1. the ask, one transaction: one ``SELECT`` reading what the decision needs (the
   survey, the opt-out, the person's asks, a forget-me hold, the roster entry), then
   ``INSERT … ON CONFLICT DO NOTHING`` of the ask;
2. the answer, one transaction writing nothing about the person: the same ``SELECT``,
   the claim (a keyed digest of the ask's id, unique), and the answer. On PostgreSQL
   the claim also takes the survey's row lock in the same statement (a data-modifying
   CTE), and one statement takes the mixing pool's answers and ratings out and writes
   them back with the new answer in an order the server draws (data-modifying CTEs);
3. closing the ask, one transaction: a compare-and-set ``UPDATE``.

That is 6 statements on SQLite and on PostgreSQL, each with its commits: the
two-transaction answer and the mixing pool are the design (docs/design/anonymity.md),
so a baseline without them would measure another program.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import aiosqlite
import asyncpg

from storage.directory import ROSTER

CLAIM_KEY = b"bench-claims"

_STATE_SQLITE = (
    "SELECT survey.status, survey.k_min,"
    " EXISTS (SELECT 1 FROM opt_out WHERE opt_out.tenant_id = :tenant"
    "  AND opt_out.respondent_key = :key) AS opted_out,"
    " (SELECT not_before FROM ask_hold WHERE ask_hold.survey_id = survey.id"
    "  AND ask_hold.respondent_key = :key) AS not_before,"
    " (SELECT labels FROM directory_entry WHERE tenant_id = :tenant AND respondent_key = :key"
    "  AND source = :roster) AS roster_labels,"
    " contact.id, contact.wave_id, contact.asked_on, contact.open, contact.labels"
    " FROM survey LEFT OUTER JOIN contact ON contact.survey_id = survey.id"
    "  AND contact.respondent_key = :key"
    " WHERE survey.id = :survey AND survey.tenant_id = :tenant ORDER BY contact.asked_on"
)
_STATE_POSTGRES = (
    "SELECT survey.status, survey.k_min,"
    " EXISTS (SELECT 1 FROM opt_out WHERE opt_out.tenant_id = $2"
    "  AND opt_out.respondent_key = $3) AS opted_out,"
    " (SELECT not_before FROM ask_hold WHERE ask_hold.survey_id = survey.id"
    "  AND ask_hold.respondent_key = $3) AS not_before,"
    " (SELECT labels FROM directory_entry WHERE tenant_id = $2 AND respondent_key = $3"
    "  AND source = $4) AS roster_labels,"
    " contact.id, contact.wave_id, contact.asked_on, contact.open, contact.labels"
    " FROM survey LEFT OUTER JOIN contact ON contact.survey_id = survey.id"
    "  AND contact.respondent_key = $3"
    " WHERE survey.id = $1 AND survey.tenant_id = $2 ORDER BY contact.asked_on"
)
_CLAIM_AND_LOCK = (
    "WITH claimed AS (INSERT INTO answer_claim (digest, survey_id, seen)"
    " VALUES ($1, $2, false) ON CONFLICT DO NOTHING RETURNING survey_id)"
    " SELECT survey.id FROM survey WHERE survey.id IN (SELECT survey_id FROM claimed)"
    " FOR NO KEY UPDATE OF survey"
)
_REMIX = (
    "WITH taken_ratings AS (DELETE FROM driver_rating WHERE response_id IN"
    "  (SELECT id FROM response WHERE survey_id = $1 AND mixing) RETURNING *),"
    " ratings_back AS (INSERT INTO driver_rating (response_id, driver, rating)"
    "  SELECT response_id, driver, rating FROM taken_ratings ORDER BY gen_random_uuid()),"
    " taken AS (DELETE FROM response WHERE survey_id = $1 AND mixing RETURNING *),"
    " pool AS (SELECT id, tenant_id, survey_id, wave_id, score, reason, segments,"
    "  answered_on, release_step FROM taken"
    "  UNION ALL SELECT $3, $4, $1, NULL, $5, NULL, '{}'::json, $6, NULL),"
    " drawn AS (SELECT pool.*, row_number() OVER (ORDER BY gen_random_uuid()) AS draw,"
    "  count(*) OVER () AS pooled FROM pool)"
    " INSERT INTO response (id, tenant_id, survey_id, wave_id, score, reason, segments,"
    "  answered_on, release_step, mixing)"
    " SELECT id, tenant_id, survey_id, wave_id, score, reason, segments, answered_on,"
    "  release_step, NOT (pooled >= 2 * $2 AND draw > $2) FROM drawn"
    " ORDER BY gen_random_uuid()"
)


def _digest(contact: uuid.UUID) -> str:
    return hmac.new(CLAIM_KEY, contact.bytes, hashlib.sha256).hexdigest()


def _open_ask(rows: list[Any], *, opened: int, contact: int) -> Any:
    """The person's open ask among the state rows (None when there is none)."""
    return next((row[contact] for row in rows if row[opened]), None)


async def sqlite_rate(path: Path, *, tenant: uuid.UUID, survey: uuid.UUID, people: range) -> float:
    """Answers per second of the raw aiosqlite answer path."""
    today = date.today().isoformat()
    params = {"tenant": tenant.hex, "survey": survey.hex, "roster": ROSTER}
    async with aiosqlite.connect(path) as connection:
        await connection.execute("PRAGMA foreign_keys=ON")
        started = time.perf_counter()
        for n in people:
            key = f"raw{n:061d}"
            state = {**params, "key": key}
            rows = list(await connection.execute_fetchall(_STATE_SQLITE, state))
            assert rows and not rows[0][2] and _open_ask(rows, opened=8, contact=5) is None
            contact = uuid.uuid4()
            await connection.execute(
                "INSERT INTO contact (id, tenant_id, survey_id, wave_id, respondent_key,"
                " asked_on, open, labels) VALUES (?, ?, ?, NULL, ?, ?, 1, '{}')"
                " ON CONFLICT DO NOTHING",
                (contact.hex, tenant.hex, survey.hex, key, today),
            )
            await connection.commit()
            rows = list(await connection.execute_fetchall(_STATE_SQLITE, state))
            assert _open_ask(rows, opened=8, contact=5) == contact.hex
            claimed = await connection.execute(
                "INSERT INTO answer_claim (digest, survey_id, seen) VALUES (?, ?, 0)"
                " ON CONFLICT DO NOTHING",
                (_digest(contact), survey.hex),
            )
            assert claimed.rowcount == 1
            await connection.execute(
                "INSERT INTO response (id, tenant_id, survey_id, wave_id, score, reason,"
                " segments, answered_on, release_step, mixing)"
                " VALUES (?, ?, ?, NULL, ?, NULL, '{}', ?, NULL, 0)",
                (uuid.uuid4().hex, tenant.hex, survey.hex, n % 11, today),
            )
            await connection.commit()
            await connection.execute(
                "UPDATE contact SET open = 0 WHERE id = ? AND open = 1", (contact.hex,)
            )
            await connection.commit()
        return len(people) / (time.perf_counter() - started)


async def postgres_rate(dsn: str, *, tenant: uuid.UUID, survey: uuid.UUID, people: range) -> float:
    """Answers per second of the raw asyncpg answer path."""
    connection = await asyncpg.connect(dsn)
    today = date.today()
    try:
        started = time.perf_counter()
        for n in people:
            key = f"raw{n:061d}"
            contact = uuid.uuid4()
            async with connection.transaction():
                rows = await connection.fetch(_STATE_POSTGRES, survey, tenant, key, ROSTER)
                assert rows and not rows[0][2] and _open_ask(rows, opened=8, contact=5) is None
                await connection.execute(
                    "INSERT INTO contact (id, tenant_id, survey_id, wave_id, respondent_key,"
                    " asked_on, open, labels) VALUES ($1, $2, $3, NULL, $4, $5, true, '{}')"
                    " ON CONFLICT DO NOTHING",
                    contact,
                    tenant,
                    survey,
                    key,
                    today,
                )
            async with connection.transaction():
                rows = await connection.fetch(_STATE_POSTGRES, survey, tenant, key, ROSTER)
                assert _open_ask(rows, opened=8, contact=5) == contact
                k = rows[0][1]
                assert await connection.fetchval(_CLAIM_AND_LOCK, _digest(contact), survey)
                await connection.execute(_REMIX, survey, k, uuid.uuid4(), tenant, n % 11, today)
            async with connection.transaction():
                await connection.execute(
                    "UPDATE contact SET open = false WHERE id = $1 AND open", contact
                )
        return len(people) / (time.perf_counter() - started)
    finally:
        await connection.close()
