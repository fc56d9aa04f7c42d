"""The shared pace's token bucket (``pace_bucket``), taken from with one statement.

:func:`take_token` is :func:`bot.domain.pacing.take_token` in SQL, on the database
server's clock: an ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` either creates the
tenant's bucket with its token taken now, or moves the bucket's due time one interval
past ``max(due, now)`` and returns how long the caller waits for its start. The row
lock the update takes orders racing callers (in any number of processes), and each sees
the due time its predecessor left, so the starts granted to all of them stay at least
one interval apart. The statement runs on its own, committed as it ends (autocommit),
so the row is locked only while the server runs it, never across a round trip to a
client: the bucket serves as many callers a second as the server can run statements,
however slow a caller is to read its answer. PostgreSQL only: on SQLite a single process
paces in memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from storage.database import Database

# clock_timestamp(), not now(): the moment the row lock is held, not the moment the
# statement began (it may have queued behind other callers); read again in RETURNING, so
# the wait counts from the moment the answer leaves, not from before the queue.
_TAKE_TOKEN = text(
    """
    INSERT INTO pace_bucket (platform, tenant, due)
    VALUES (:platform, :tenant, extract(epoch FROM clock_timestamp())::float8 + :interval)
    ON CONFLICT (platform, tenant) DO UPDATE
    SET due = greatest(pace_bucket.due, extract(epoch FROM clock_timestamp())::float8)
        + :interval
    RETURNING pace_bucket.due - :interval AS start,
              pace_bucket.due - :interval - extract(epoch FROM clock_timestamp())::float8
              AS wait
    """
)


@dataclass(frozen=True)
class Token:
    """A start taken: ``start`` on the server's clock (seconds since the epoch), and the
    seconds from the statement's moment until then (``wait``; 0 or less: start now)."""

    start: float
    wait: float


async def take_token(database: Database, *, platform: str, tenant: str, interval: float) -> Token:
    """Take the next start of ``tenant``'s bucket, spaced ``interval`` seconds from the one
    before, in a statement committed on its own (no transaction of the caller's)."""
    if interval <= 0:
        raise ValueError("interval must be positive")
    async with database.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        result = await autocommit.execute(
            _TAKE_TOKEN, {"platform": platform, "tenant": tenant, "interval": float(interval)}
        )
        row = result.one()
    return Token(start=float(row.start), wait=float(row.wait))
