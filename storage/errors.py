"""Why the database cannot be used, as the command line reports it in one line.

Apart from :mod:`storage.database` so that catching them loads no SQLAlchemy.
"""

from __future__ import annotations


class DatabaseError(RuntimeError):
    """The database cannot be used; the message says why in one line."""


class DatabaseUnavailable(DatabaseError):
    """The server could not be reached or the file could not be opened."""


class DatabaseNotMigrated(DatabaseError):
    """The schema is missing or older than this version of the code."""
