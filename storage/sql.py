"""SQL helpers every table module shares; they know no table of their own.

Nothing here commits: each helper runs in the caller's session and transaction. Where
concurrent callers could race, the helpers let a unique constraint or a conditional
update decide, and say so in their contract.
"""

from __future__ import annotations

import functools
import importlib
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeAlias, TypeVar

from sqlalchemy import CursorResult, Insert, Select, Table, cast
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import Executable
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel

Row = TypeVar("Row", bound=SQLModel)

Executor: TypeAlias = AsyncSession | AsyncConnection
"""Where a Core statement runs: an ORM session's transaction, or a Core connection's
(the answer path's, see :meth:`storage.database.Database.connection`). Functions taking
one run plain Core statements only, so they behave the same in both."""


def dialect_name(executor: Executor) -> str:
    """The SQL dialect ``executor`` speaks (``sqlite`` or ``postgresql``)."""
    if isinstance(executor, AsyncConnection):
        return executor.dialect.name
    return executor.get_bind().dialect.name


def table(model: type[SQLModel]) -> Table:
    """The Core table of a model (SQLModel does not type ``__table__``)."""
    return typing.cast(Table, getattr(model, "__table__"))  # noqa: B009


async def rowcount(
    session: Executor, statement: Executable, params: Mapping[str, Any] | None = None
) -> int:
    """Run an ``UPDATE`` or ``DELETE`` (with ``params`` for a statement built once with
    bound parameters) and return how many rows it matched (never negative).

    A compare-and-set is an update whose ``WHERE`` holds the expected old value; its
    count is 1 for exactly one of any number of racing callers.
    """
    result = typing.cast(CursorResult[Any], await session.execute(statement, params))
    return max(int(result.rowcount or 0), 0)


async def insert_unless_present(session: AsyncSession, row: SQLModel) -> bool:
    """Insert ``row`` in a savepoint; False (and nothing written) when a unique constraint
    says it exists already. This is how concurrent callers agree on one row."""
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


async def find_or_insert(
    session: AsyncSession, *, query: Select[Row], make: Callable[[], Row]
) -> Row:
    """The row ``query`` finds, or else the row ``make`` builds, inserted.

    ``query`` must select at most one row, by the same unique key the inserted row
    carries. Race-safe: of two callers inserting the same key, one inserts and both get
    that row (the loser reads it again after its savepoint rolled back).
    """
    found = (await session.execute(query)).scalar_one_or_none()
    if found is not None:
        return found
    row = make()
    if await insert_unless_present(session, row):
        return row
    return (await session.execute(query)).scalar_one()


def groupable_json(column: ColumnElement[Any], *, dialect: str) -> ColumnElement[Any]:
    """A JSON column in a form ``GROUP BY`` accepts.

    PostgreSQL has no equality on ``json``, so there it is grouped as ``jsonb`` (equal
    objects compare equal whatever their key order); SQLite compares the stored text.
    """
    if dialect != "postgresql":
        return column
    from sqlalchemy.dialects.postgresql import JSONB

    return cast(column, JSONB)


@functools.cache
def insert_or_skip(target: Table, dialect: str) -> Insert:
    """``INSERT … ON CONFLICT DO NOTHING`` into ``target`` in the SQL of ``dialect``
    (``postgresql`` or ``sqlite``), built once per table and dialect. Only the dialect
    in use is loaded: a SQLite deployment never holds PostgreSQL's."""
    module = importlib.import_module(f"sqlalchemy.dialects.{dialect}")
    statement: Insert = module.insert(target).on_conflict_do_nothing()
    return statement


def utc(moment: datetime) -> datetime:
    """``moment`` as aware UTC. SQLite hands back naive datetimes; every stored one is UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
