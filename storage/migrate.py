"""Schema migrations through Alembic, callable from code (the CLI and start-up).

Alembic (with Mako and Pygments behind it) is loaded only when there is a migration to
run: the newest revision is read from the migration files themselves
(:func:`head_revision`), so a process whose database is up to date, the usual start,
never holds it. A SQLite file already at that revision is recognised with the standard
library's driver (:func:`storage.revisions.sqlite_revisions`), so ``nps-bot db
upgrade`` of it does not load SQLAlchemy either.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from storage.revisions import MIGRATIONS, head_revision, sqlite_revisions

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["alembic_config", "head_revision", "upgrade"]


def alembic_config(url: str) -> Config:
    """An Alembic config for ``url`` (passed as an attribute, so '%' needs no escaping)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = url
    return config


async def _up_to_date(url: str) -> bool:
    """Whether the database at ``url`` exists with the newest schema (without Alembic)."""
    from storage.database import Database, database_exists
    from storage.errors import DatabaseNotMigrated

    if not database_exists(url):
        return False
    database = Database(url)
    try:
        await database.check_ready(expected_revision=head_revision())
    except DatabaseNotMigrated:
        return False
    finally:
        await database.dispose()
    return True


async def upgrade(url: str) -> str | None:
    """Bring the database at ``url`` to the newest schema; returns the revision it had
    before (None: it had no schema, which is now created).

    Raises :class:`DatabaseUnavailable` when the server cannot be reached and
    :class:`DatabaseError` when a migration fails. Alembic's environment starts its own
    event loop, so it runs in a worker thread.
    """
    head = head_revision()
    stored = sqlite_revisions(url)
    if stored is not None and head in stored:
        return head
    from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

    from storage.database import check_location, first_line
    from storage.errors import DatabaseError, DatabaseUnavailable

    check_location(url)
    if await _up_to_date(url):
        return head
    from alembic import command

    config = alembic_config(url)
    try:
        await asyncio.to_thread(command.upgrade, config, "head")
    except (OperationalError, DBAPIError, OSError) as error:
        raise DatabaseUnavailable(f"cannot reach the database: {first_line(error)}") from error
    except SQLAlchemyError as error:
        raise DatabaseError(f"could not upgrade the database: {first_line(error)}") from error
    before = config.attributes.get("revision_before")
    return None if before is None else str(before)
