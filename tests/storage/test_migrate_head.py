"""The newest revision read from the migration files is Alembic's own, and an up-to-date
database is upgraded without loading Alembic (nor SQLAlchemy, for a SQLite file)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from storage.migrate import alembic_config, head_revision, upgrade


def test_the_head_read_from_the_files_is_alembics() -> None:
    alembics = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head_revision() == alembics


async def test_an_up_to_date_database_is_upgraded_without_alembic(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}"
    assert await upgrade(url) is None  # created: Alembic ran
    child = (
        "import asyncio, sys\n"
        "from storage.migrate import head_revision, upgrade\n"
        f"before = asyncio.run(upgrade({url!r}))\n"
        "assert before == head_revision(), before\n"
        "print('alembic' in sys.modules, 'sqlalchemy' in sys.modules)\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", child, stdout=asyncio.subprocess.PIPE
    )
    loaded, _ = await process.communicate()
    assert process.returncode == 0
    assert loaded.decode().split() == ["False", "False"]
