"""Which schema revision the code expects, and which one a SQLite file holds, read
without SQLAlchemy or Alembic, so that ``nps-bot db upgrade`` of an up-to-date
database, every deployment's usual start, loads neither.
"""

from __future__ import annotations

import ast
import io
import sqlite3
import tokenize
from contextlib import closing
from pathlib import Path

from storage.urls import plain_sqlite_file

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_SECONDS = 30
"""As long as the engine's connections wait for a lock (see :class:`storage.database.Database`)."""


def head_revision(*, versions: Path = MIGRATIONS / "versions") -> str:
    """The newest revision this code knows: the one no migration names as the revision
    it follows. Read from the ``revision`` and ``down_revision`` assignments at the top
    of the migration files in ``versions`` (literals before the first function, as
    Alembic writes them), without loading Alembic; a test holds it equal to Alembic's
    own answer."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in versions.glob("*.py"):
        for node in ast.parse(_header(path.read_text(encoding="utf-8"))).body:
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


def _header(source: str) -> str:
    """The statements of a migration file before its first function or class: where
    Alembic writes the revision identifiers. The functions, most of the file, are not
    parsed: their syntax trees would only be garbage, and a start leaves the heap no
    smaller than its largest garbage."""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        at_top = token.start[1] == 0
        if at_top and (token.string in ("def", "async", "class", "@")):
            return "".join(source.splitlines(keepends=True)[: token.start[0] - 1])
    return source


def sqlite_revisions(url: str) -> frozenset[str] | None:
    """The revisions in ``alembic_version`` of the SQLite file ``url`` names, read with
    the standard library's driver.

    None whenever this cannot be told so simply: another database, a URL with options,
    a file not there (it is not created), no such table, or any driver error. The caller
    then asks through the engine, which reports what is wrong; so None never means
    "no schema", only "ask the slow way".
    """
    path = plain_sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        with closing(sqlite3.connect(path, timeout=SQLITE_BUSY_SECONDS)) as connection:
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        return None
    return frozenset(str(row[0]) for row in rows)
