"""The database handle: one async engine and its session factory, built explicitly.

There is no module-level engine: the composition root creates a :class:`Database` from
a URL and passes it to whoever needs it.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import PoolResetState
from sqlalchemy.util import greenlet_spawn

from storage.errors import DatabaseNotMigrated, DatabaseUnavailable
from storage.pool_wait import DEFAULT_POOL_WAIT_SECONDS

# A pooled server connection idle for longer than this is pinged before it is used again.
PING_AFTER_IDLE_SECONDS = 1.0


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite ``url``, or None (another database, or SQLite in memory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def check_location(url: str) -> None:
    """Raise :class:`DatabaseUnavailable` when a SQLite file's folder does not exist.

    SQLite cannot create the folder; caught here, the error is one line, before any
    driver thread starts that would outlive a failed connection.
    """
    path = sqlite_file(url)
    if path is not None and not path.parent.is_dir():
        raise DatabaseUnavailable(
            f"the folder {path.parent} of the SQLite database does not exist: "
            "create it, or point DATABASE_URL elsewhere"
        )


def database_exists(url: str) -> bool:
    """False only for a SQLite file that is not there yet (a server is asked instead)."""
    path = sqlite_file(url)
    return path is None or path.exists()


class Database:
    """An async SQLAlchemy engine plus a session factory.

    Sessions do not expire objects on commit, so values read inside a transaction can be
    returned to callers after it ends. SQLite connections run each statement in one trip
    to aiosqlite's thread (:mod:`storage.sqlite_driver`). The answers each committed
    transaction stored (as the storage functions note them, :func:`note_answers`) are
    told to the listeners of :meth:`on_answers_committed`.
    """

    def __init__(
        self, url: str, *, echo: bool = False, pool_wait_seconds: float = DEFAULT_POOL_WAIT_SECONDS
    ) -> None:
        """``pool_wait_seconds``: how long a transaction waits for a free connection before
        SQLAlchemy's pool raises its ``TimeoutError`` (a database error to the use cases:
        the person is asked to try again). An in-memory SQLite database has no pool."""
        self.url = url
        self.dialect = make_url(url).get_backend_name()
        connect_args: dict[str, Any] = {}
        driver: dict[str, Any] = {}
        if self.dialect != "sqlite" or sqlite_file(url) is not None:
            driver["pool_timeout"] = pool_wait_seconds
        if self.dialect == "sqlite":
            from storage.sqlite_driver import one_trip_dbapi

            # Several coroutines share one file; wait for locks instead of failing at once.
            connect_args["timeout"] = 30
            driver["module"] = one_trip_dbapi()
        self.engine: AsyncEngine = create_async_engine(
            url,
            echo=echo,
            connect_args=connect_args,
            **driver,
            # SQLite: returned connections are rolled back only when a transaction is open
            # (``_rollback_if_open``), not always.
            pool_reset_on_return=None if self.dialect == "sqlite" else "rollback",
        )
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "reset", _rollback_if_open)
        else:
            # A SQLite file cannot go stale in the pool; a server connection can.
            _ping_idle_connections(self.engine, after_seconds=PING_AFTER_IDLE_SECONDS)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._answer_listeners: list[Callable[[int], None]] = []

    def on_answers_committed(self, listener: Callable[[int], None]) -> None:
        """Call ``listener`` with how many answers a transaction stored, once it commits
        (never for one rolled back). No SQLAlchemy engine event is involved: those would
        be dispatched on every statement of every transaction."""
        self._answer_listeners.append(listener)

    def _committed(self, info: dict[Any, Any]) -> None:
        stored = info.pop(_ANSWERS_NOTED, 0)
        if stored:
            for listener in self._answer_listeners:
                listener(stored)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """Yield a session inside one transaction: committed on success, rolled back on error."""
        async with self._sessions() as session:
            async with session.begin():
                yield session
            self._committed(session.info)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        """Yield a Core connection inside one transaction: committed on success, rolled
        back on error, like :meth:`transaction`.

        For paths run once per answer, which execute plain Core statements only: no ORM
        session is built, begun, committed and closed around them, which on that path
        costs more than the statements. :func:`joined_session` gives one inside it when
        a rare branch needs the ORM. A block that fails or is cancelled is rolled back,
        and its connection is back in the pool, before the error goes on.
        """
        # The checkout and BEGIN are one hand-off to SQLAlchemy's sync side, and so are
        # COMMIT (or ROLLBACK) and the check-in: half of ``engine.begin()``'s.
        sync = await greenlet_spawn(_begin, self.engine.sync_engine)
        try:
            yield AsyncConnection(self.engine, sync)
        except BaseException:
            if not sync.invalidated:  # a lost connection's record went with it
                sync.info.pop(_ANSWERS_NOTED, None)
            await greenlet_spawn(_end, sync, commit=False)
            raise
        # The connection's record outlives this checkout: the tally is taken off it.
        noted = {_ANSWERS_NOTED: sync.info.pop(_ANSWERS_NOTED, 0)}
        await greenlet_spawn(_end, sync, commit=True)
        self._committed(noted)

    async def check_ready(self, *, expected_revision: str) -> None:
        """Raise :class:`DatabaseUnavailable` or :class:`DatabaseNotMigrated` unless usable.

        A SQLite file that does not exist is not created: it is reported as a database
        without a schema.
        """
        check_location(self.url)
        if not database_exists(self.url):
            raise DatabaseNotMigrated(_NO_SCHEMA)
        try:
            async with self.engine.connect() as connection:
                result = await connection.execute(text("SELECT version_num FROM alembic_version"))
                revisions = {row[0] for row in result}
        except (OperationalError, DBAPIError, OSError) as error:
            if _is_missing_table(error):
                raise DatabaseNotMigrated(_NO_SCHEMA) from error
            raise DatabaseUnavailable(f"cannot reach the database: {first_line(error)}") from error
        if expected_revision not in revisions:
            raise DatabaseNotMigrated(
                "the database schema is not up to date; run `nps-bot db upgrade`"
            )

    async def dispose(self) -> None:
        await self.engine.dispose()


_ANSWERS_NOTED = "nps_bot.answers_noted"


def note_answers(executor: AsyncSession | AsyncConnection, count: int) -> None:
    """Note that ``count`` new answers were written in ``executor``'s transaction, for
    :meth:`Database.on_answers_committed` (rewriting answers already stored is not new)."""
    info = executor.info
    info[_ANSWERS_NOTED] = info.get(_ANSWERS_NOTED, 0) + count


def _begin(engine: Engine) -> Connection:
    """A pooled connection with its transaction begun."""
    connection = engine.connect()
    try:
        connection.begin()
    except BaseException:
        connection.close()
        raise
    return connection


def _end(connection: Connection, *, commit: bool) -> None:
    """Commit (or roll back) ``connection``'s transaction and return it to the pool,
    whatever the outcome."""
    try:
        if commit:
            connection.commit()
        else:
            connection.rollback()
    finally:
        connection.close()


@asynccontextmanager
async def joined_session(connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    """An ORM session inside ``connection``'s transaction (see :meth:`Database.connection`).

    What it writes is flushed when the block ends and commits or rolls back with that
    transaction, never on its own; its savepoints (``begin_nested``) are the
    connection's. Objects stay readable after the block, as with :meth:`Database.transaction`.
    """
    if connection.dialect.name == "sqlite":
        await _open_sqlite_transaction(connection)
    session = AsyncSession(
        bind=connection, expire_on_commit=False, join_transaction_mode="rollback_only"
    )
    try:
        yield session
        await session.flush()
        if _ANSWERS_NOTED in session.info:
            note_answers(connection, session.info.pop(_ANSWERS_NOTED))
    finally:
        await session.close()


async def _open_sqlite_transaction(connection: AsyncConnection) -> None:
    """Make sure SQLite has begun the connection's transaction.

    sqlite3 begins one only before a write, and a savepoint taken outside a transaction
    begins its own, so releasing it would commit at once what the session wrote. The
    session is there to write, so the transaction takes the write lock at once
    (``IMMEDIATE``), waiting its turn behind other writers: a deferred one would read
    first, and SQLite refuses a reader's later write at once ("database is locked",
    without waiting) whenever another connection wrote meanwhile.
    """
    raw = await connection.get_raw_connection()
    if not raw.driver_connection.in_transaction:  # type: ignore[union-attr]
        await connection.exec_driver_sql("BEGIN IMMEDIATE")


_NO_SCHEMA = "the database has no nps-bot schema yet; run `nps-bot db upgrade`"


def _ping_idle_connections(engine: AsyncEngine, *, after_seconds: float) -> None:
    """Pessimistic disconnect handling, paid only by connections that sat idle.

    SQLAlchemy's ``pool_pre_ping`` pings on every checkout, which on asyncpg costs three
    round trips (BEGIN, a ping, ROLLBACK) per transaction: more than an answer's own
    statements. A connection returned less than ``after_seconds`` ago was working then;
    older ones are pinged, and a dead one is replaced before anyone uses it (the pool
    retries the checkout on :class:`~sqlalchemy.exc.DisconnectionError`). A server that
    restarts within that second costs the next request on each of its connections a
    "try again" (the transaction rolls back whole, and the pool is refreshed).
    """
    sync_engine = engine.sync_engine

    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < after_seconds:
            return
        try:
            sync_engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise DisconnectionError(f"stale pooled connection: {first_line(error)}") from error

    event.listen(sync_engine, "checkin", checked_in)
    event.listen(sync_engine, "checkout", checked_out)


_IDLE_SINCE = "nps_idle_since"


def _rollback_if_open(dbapi_connection: Any, _record: Any, state: PoolResetState) -> None:
    """Reset a SQLite connection returned to the pool.

    SQLAlchemy rolls back every returned connection, even right after a commit, and on
    aiosqlite each rollback is a round trip to the connection's thread. sqlite3 knows
    whether a transaction is open (it opens one only before a write), so only then is
    one rolled back.
    """
    if state.terminate_only or state.transaction_was_reset or not state.asyncio_safe:
        return
    if dbapi_connection.driver_connection.in_transaction:
        dbapi_connection.rollback()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _is_missing_table(error: BaseException) -> bool:
    message = str(error).lower()
    return "no such table" in message or ("does not exist" in message and "relation" in message)


def first_line(error: BaseException) -> str:
    """The first line of a driver error, without SQLAlchemy's background links."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__
