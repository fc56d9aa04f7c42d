"""Database URLs in the forms this package drives.

Kept apart from :mod:`storage.database` so that reading the settings does not load
SQLAlchemy: a URL already in the SQLite async form is taken as it is, and only other
forms are parsed (by SQLAlchemy's URL parser, loaded then).
"""

from __future__ import annotations

from pathlib import Path

URL_FORMS = "postgresql+asyncpg://user:password@host/db or sqlite+aiosqlite:///path/to/nps.db"
"""The URL forms the async drivers take, as an error message names them."""

_ASYNC_DRIVERS = {
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
}
_SQLITE_ASYNC = "sqlite+aiosqlite://"

_ASYNCPG_PARAMETERS = frozenset(
    {"ssl", "target_session_attrs", "passfile", "service", "servicefile", "krbsrvname", "gsslib"}
)
"""URL parameters asyncpg takes as text; SQLAlchemy hands every other one to its
``connect()`` as well, where it fails with a TypeError on the first connection."""


def async_url(url: str) -> str:
    """``url`` in the form this package drives: ``postgresql://`` and ``postgres://``
    (what hosting providers hand out) become ``postgresql+asyncpg://``, with libpq's
    ``sslmode`` passed as asyncpg's ``ssl`` (in every PostgreSQL form); ``sqlite:///``
    becomes ``sqlite+aiosqlite:///``. The scheme is read without regard to case. The async
    forms are otherwise returned unchanged.

    Raises ``ValueError`` naming the forms that work for any other URL (another driver,
    another database, not a URL at all), and naming the parameter of a PostgreSQL URL that
    asyncpg cannot take (``connect_timeout``, ``application_name`` …).
    """
    if url.startswith(_SQLITE_ASYNC):
        # SQLAlchemy parses every URL of this form and would return it unchanged.
        return url
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError(f"not a database URL; use {URL_FORMS}") from None
    driver = _ASYNC_DRIVERS.get(parsed.drivername.lower())
    if driver is None:
        raise ValueError(f"the {parsed.drivername!r} driver is not supported; use {URL_FORMS}")
    if driver == "sqlite+aiosqlite":
        if driver == parsed.drivername:
            return url
        return parsed.set(drivername=driver).render_as_string(hide_password=False)
    query = _asyncpg_query(dict(parsed.query))
    if driver == parsed.drivername and query == parsed.query:
        return url
    converted: URL = parsed.set(drivername=driver, query=query)
    return converted.render_as_string(hide_password=False)


def _asyncpg_query(query: dict[str, str | tuple[str, ...]]) -> dict[str, str | tuple[str, ...]]:
    """``query`` with libpq's ``sslmode`` as asyncpg's ``ssl``; ValueError for a parameter
    asyncpg does not take."""
    if "sslmode" in query:
        query["ssl"] = query.pop("sslmode")
    for name in sorted(query):
        if name not in _ASYNCPG_PARAMETERS:
            raise ValueError(
                f"the URL parameter {name!r} is not supported; remove it (PostgreSQL URLs "
                "may carry sslmode, target_session_attrs, passfile, service and servicefile)"
            )
    return query


def plain_sqlite_file(url: str) -> Path | None:
    """The file of an async SQLite ``url`` written plainly (``sqlite+aiosqlite:///`` and a
    path, without options or %-escapes), read without SQLAlchemy; None for every other
    URL, SQLite in memory included, which only SQLAlchemy's parser may interpret."""
    prefix = _SQLITE_ASYNC + "/"
    if not url.startswith(prefix):
        return None
    database = url.removeprefix(prefix)
    if database in ("", ":memory:") or any(mark in database for mark in "?#%"):
        return None
    return Path(database)
