"""The schema revision of a SQLite file, read without SQLAlchemy: an answer only when it
is certain, "ask the engine" otherwise; and the plain SQLite URLs it reads."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from storage.migrate import upgrade
from storage.revisions import head_revision, sqlite_revisions
from storage.urls import async_url, plain_sqlite_file


async def test_a_migrated_file_holds_the_head(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}"
    await upgrade(url)
    assert sqlite_revisions(url) == {head_revision()}


MIGRATION = '''"""Merges two branches.

def upgrade() in a docstring is text, not the first function.
"""

import sqlalchemy as sa

revision: str = "{revision}"
down_revision = {down}


@decorated
def upgrade() -> None:
    revision = "not a revision: inside a function"


class Helper:
    down_revision = "not followed either"


async def downgrade() -> None:
    pass
'''


def test_the_head_is_read_from_the_assignments_before_the_first_function(
    tmp_path: Path,
) -> None:
    for revision, down in (("a1", None), ("b1", "a1"), ("b2", "a1"), ("c1", ("b1", "b2"))):
        body = MIGRATION.format(revision=revision, down=repr(down))
        (tmp_path / f"{revision}.py").write_text(body, encoding="utf-8")

    assert head_revision(versions=tmp_path) == "c1"
    (tmp_path / "c1.py").unlink()
    with pytest.raises(RuntimeError, match=r"found \['b1', 'b2'\]"):
        head_revision(versions=tmp_path)


def test_an_older_revision_is_read_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        connection.execute("INSERT INTO alembic_version VALUES ('0003')")
    connection.close()
    assert sqlite_revisions(f"sqlite+aiosqlite:///{path}") == {"0003"}


def test_what_cannot_be_told_simply_is_left_to_the_engine(tmp_path: Path) -> None:
    empty, garbage = tmp_path / "empty.db", tmp_path / "garbage.db"
    sqlite3.connect(empty).close()
    garbage.write_bytes(b"not a database at all, " * 100)
    missing = tmp_path / "missing.db"
    for url in (
        f"sqlite+aiosqlite:///{empty}",  # no alembic_version table
        f"sqlite+aiosqlite:///{garbage}",  # not a database
        f"sqlite+aiosqlite:///{missing}",  # no file
        f"sqlite+aiosqlite:///{empty}?timeout=5",  # options only SQLAlchemy reads
        "sqlite+aiosqlite://",  # in memory
        "postgresql+asyncpg://nps@localhost/nps",
    ):
        assert sqlite_revisions(url) is None, url
    assert not missing.exists(), "reading the revision must not create the file"


@pytest.mark.parametrize(
    "url",
    [
        "sqlite+aiosqlite:///./nps.db",
        "sqlite+aiosqlite:////var/lib/nps/nps.db",
        "sqlite+aiosqlite:///data/ナップス.db",
        "sqlite+aiosqlite:///with space.db",
    ],
)
def test_a_plain_sqlite_url_names_the_file_sqlalchemy_would(url: str) -> None:
    assert plain_sqlite_file(url) == Path(str(make_url(url).database))
    assert async_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "sqlite+aiosqlite:///a%20b.db",
        "sqlite+aiosqlite:///nps.db?timeout=5",
        "sqlite+aiosqlite:///:memory:",
        "sqlite:///nps.db",
    ],
)
def test_a_url_needing_sqlalchemys_parser_names_no_plain_file(url: str) -> None:
    assert plain_sqlite_file(url) is None
