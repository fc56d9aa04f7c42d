"""The database handle: one async engine and its session factory, built explicitly.

There is no module-level engine: the composition root creates a :class:`Database` from
a URL and passes it to whoever needs it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


class DatabaseError(RuntimeError):
    """The database cannot be used; the message says why in one line."""


class DatabaseUnavailable(DatabaseError):
    """The server could not be reached or the file could not be opened."""


class DatabaseNotMigrated(DatabaseError):
    """The schema is missing or older than this version of the code."""


class Database:
    """An async SQLAlchemy engine plus a session factory.

    Sessions do not expire objects on commit, so values read inside a transaction can be
    returned to callers after it ends.
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.dialect = make_url(url).get_backend_name()
        connect_args: dict[str, Any] = {}
        if self.dialect == "sqlite":
            # Several coroutines share one file; wait for locks instead of failing at once.
            connect_args["timeout"] = 30
        # A server connection can go stale in the pool (a restart, an idle timeout), so it is
        # pinged before use; a SQLite file cannot, and the ping would cost every transaction.
        self.engine: AsyncEngine = create_async_engine(
            url, echo=echo, pool_pre_ping=self.dialect != "sqlite", connect_args=connect_args
        )
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """Yield a session inside one transaction: committed on success, rolled back on error."""
        async with self._sessions() as session, session.begin():
            yield session

    async def check_ready(self, *, expected_revision: str) -> None:
        """Raise :class:`DatabaseUnavailable` or :class:`DatabaseNotMigrated` unless usable."""
        try:
            async with self.engine.connect() as connection:
                result = await connection.execute(text("SELECT version_num FROM alembic_version"))
                revisions = {row[0] for row in result}
        except (OperationalError, DBAPIError, OSError) as error:
            if _is_missing_table(error):
                raise DatabaseNotMigrated(
                    "the database has no nps-bot schema yet; run `nps-bot db upgrade`"
                ) from error
            raise DatabaseUnavailable(f"cannot reach the database: {first_line(error)}") from error
        if expected_revision not in revisions:
            raise DatabaseNotMigrated(
                "the database schema is not up to date; run `nps-bot db upgrade`"
            )

    async def dispose(self) -> None:
        await self.engine.dispose()


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
