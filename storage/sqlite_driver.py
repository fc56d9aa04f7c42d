"""SQLite through aiosqlite in one hand-off per statement.

aiosqlite runs every call on its connection's own thread, and each call is a round trip
from the event loop to that thread and back. SQLAlchemy's aiosqlite adapter makes four
of them per statement (open a cursor, execute, fetch, close); on a busy machine those
trips, not SQLite, are what an answer waits for. The cursor here makes one: a single
function on the driver's thread opens a standard-library cursor, executes, reads every
row and closes it, and the results are served from memory afterwards, as SQLAlchemy's
own adapter serves them. Server-side cursors (``stream()``) keep SQLAlchemy's. A
commit or rollback with no transaction open makes no trip at all: sqlite3 opens one only
before a write, so a transaction that only read has nothing to end.

Same statements, same transactions, same errors (raised on the driver's thread and
translated by the adapter as before): only the number of trips changes. Handed to the
engine as its DBAPI module (``create_async_engine(..., module=...)``), so the URL, the
dialect and everything that inspects them stay what they were.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import await_only

_Row = tuple[Any, ...]
_Outcome = tuple[Any, list[_Row], int, int | None]
"""What one statement left behind: description, rows, rowcount, lastrowid."""


def _run_one(
    connection: sqlite3.Connection, operation: str, parameters: Any, many: bool
) -> _Outcome:
    """Runs on the driver's thread: the statement and everything read from it."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor:
    """A DBAPI cursor whose statement, rows and close are one trip to the driver's thread."""

    server_side = False
    arraysize = 1

    def __init__(self, adapted: AsyncAdapt_aiosqlite_connection) -> None:
        self._adapted = adapted
        self._rows: collections.deque[_Row] = collections.deque()
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    def execute(self, operation: str, parameters: Any = None) -> None:
        self._run(operation, parameters, many=False)

    def executemany(self, operation: str, seq_of_parameters: Any) -> None:
        self._run(operation, seq_of_parameters, many=True)

    def _run(self, operation: str, parameters: Any, *, many: bool) -> None:
        try:
            outcome = await_only(self._trip(operation, parameters, many))
        except Exception as error:
            self._adapted._handle_exception(error)
        self.description, rows, self.rowcount, self.lastrowid = outcome
        self._rows = collections.deque(rows)

    async def _trip(self, operation: str, parameters: Any, many: bool) -> _Outcome:
        # aiosqlite's connection: ``_execute`` runs a function on its thread (as
        # SQLAlchemy's adapter itself reaches in for the isolation level).
        driver: Any = self._adapted._connection
        # One statement at a time per connection, as SQLAlchemy's adapter holds it.
        async with self._adapted._execute_mutex:
            outcome: _Outcome = await driver._execute(
                _run_one, driver._conn, operation, parameters, many
            )
            return outcome

    def fetchone(self) -> _Row | None:
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> Sequence[_Row]:
        count = min(self.arraysize if size is None else size, len(self._rows))
        return [self._rows.popleft() for _ in range(count)]

    def fetchall(self) -> Sequence[_Row]:
        rows = list(self._rows)
        self._rows.clear()
        return rows

    def __iter__(self) -> Iterator[_Row]:
        while self._rows:
            yield self._rows.popleft()

    def setinputsizes(self, *sizes: Any) -> None:
        """Nothing to set: sqlite3 takes no input sizes."""

    def close(self) -> None:
        # The driver's cursor closed on its thread; only the rows read remain.
        self._rows.clear()

    async def _async_soft_close(self) -> None:
        """What SQLAlchemy's async results call before reading rows: nothing is open."""


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    """SQLAlchemy's aiosqlite connection adapter, with :class:`OneTripCursor` cursors."""

    __slots__ = ()

    def cursor(self, server_side: bool = False) -> Any:
        if server_side:
            return super().cursor(server_side=True)
        return OneTripCursor(self)

    def commit(self) -> None:
        # sqlite3 opens a transaction only before a write, so a transaction that only
        # read has nothing to commit: sqlite3's commit would do nothing, after a trip.
        if self._nothing_open():
            return
        super().commit()

    def rollback(self) -> None:
        if self._nothing_open():
            return
        super().rollback()

    def _nothing_open(self) -> bool:
        """Whether sqlite3 has no transaction open (False for a closed connection,
        whose commit and rollback SQLAlchemy's adapter handles as before). Read on the
        event loop's thread while the driver's thread is idle: SQLAlchemy runs one
        statement at a time per connection, and none is running when it commits."""
        driver = self._connection._connection
        return driver is not None and not driver.in_transaction


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """SQLAlchemy's aiosqlite DBAPI module, connecting through :class:`OneTripConnection`."""

    def connect(self, *args: Any, **kwargs: Any) -> OneTripConnection:
        adapted = super().connect(*args, **kwargs)
        return OneTripConnection(self, adapted._connection)


def one_trip_dbapi() -> OneTripDBAPI:
    """The DBAPI module a SQLite engine is given (see the module's docstring)."""
    return OneTripDBAPI(aiosqlite, sqlite3)
