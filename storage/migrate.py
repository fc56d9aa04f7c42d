"""Schema migrations through Alembic, callable from code (the CLI and start-up)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from storage.database import DatabaseError, DatabaseUnavailable, check_location, first_line

_MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    """An Alembic config for ``url`` (passed as an attribute, so '%' needs no escaping)."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["url"] = url
    return config


def head_revision() -> str:
    """The newest revision this code knows."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


async def upgrade(url: str) -> str | None:
    """Bring the database at ``url`` to the newest schema; returns the revision it had
    before (None: it had no schema, which is now created).

    Raises :class:`DatabaseUnavailable` when the server cannot be reached and
    :class:`DatabaseError` when a migration fails. Alembic's environment starts its own
    event loop, so it runs in a worker thread.
    """
    check_location(url)
    config = alembic_config(url)
    try:
        await asyncio.to_thread(command.upgrade, config, "head")
    except (OperationalError, DBAPIError, OSError) as error:
        raise DatabaseUnavailable(f"cannot reach the database: {first_line(error)}") from error
    except SQLAlchemyError as error:
        raise DatabaseError(f"could not upgrade the database: {first_line(error)}") from error
    before = config.attributes.get("revision_before")
    return None if before is None else str(before)
