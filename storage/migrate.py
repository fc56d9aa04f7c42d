"""Schema migrations through Alembic, callable from code (the CLI and start-up).

Alembic (with Mako and Pygments behind it) is loaded only when there is a migration to
run: the newest revision is read from the migration files themselves
(:func:`head_revision`), so a process whose database is up to date, the usual start,
never holds it.
"""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from storage.database import (
    Database,
    DatabaseError,
    DatabaseNotMigrated,
    DatabaseUnavailable,
    check_location,
    database_exists,
    first_line,
)

if TYPE_CHECKING:
    from alembic.config import Config

_MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    """An Alembic config for ``url`` (passed as an attribute, so '%' needs no escaping)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["url"] = url
    return config


def head_revision() -> str:
    """The newest revision this code knows: the one no migration names as the revision
    it follows. Read from the ``revision`` and ``down_revision`` assignments of the
    migration files (literals, as Alembic writes them), without loading Alembic; a
    test holds it equal to Alembic's own answer."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in (_MIGRATIONS / "versions").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value = node.target, node.value
            else:
                continue
            if not isinstance(target, ast.Name):
                continue
            if target.id == "revision":
                revisions.add(str(ast.literal_eval(value)))
            elif target.id == "down_revision":
                before = ast.literal_eval(value)
                followed.update([before] if isinstance(before, str) else before or ())
    heads = revisions - followed
    if len(heads) != 1:
        raise RuntimeError(f"expected one newest migration, found {sorted(heads) or 'none'}")
    return heads.pop()


async def _up_to_date(url: str) -> bool:
    """Whether the database at ``url`` exists with the newest schema (without Alembic)."""
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
    check_location(url)
    if await _up_to_date(url):
        return head_revision()
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
