"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, and wired services."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy.engine import make_url

from bot.runtime.services import Services, build_services
from bot.runtime.settings import Settings
from storage.migrate import upgrade
from tests.support.clock import Clock
from tests.support.postgres import temporary_cluster

TEST_PEPPER = "test-pepper-" + "x" * 40

# Property tests are judged by what they find, never by how fast a loaded machine runs
# them: no per-example deadline, and no health check failing slow generation. Every
# ``@settings`` of a test inherits the profile, loaded before any test module. The
# default ("repeatable") draws the same examples on every run, so a run's verdict is the
# code's, not the luck of the draw; HYPOTHESIS_PROFILE=explore draws new ones each run
# (and ten times as many), to hunt for inputs the repeatable set does not reach.
_SLOW_IS_HEALTHY = [HealthCheck.too_slow]
hypothesis_settings.register_profile(
    "repeatable", derandomize=True, deadline=None, suppress_health_check=_SLOW_IS_HEALTHY
)
hypothesis_settings.register_profile(
    "explore",
    derandomize=False,
    max_examples=1000,
    deadline=None,
    suppress_health_check=_SLOW_IS_HEALTHY,
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str | None]:
    """An admin URL of a PostgreSQL server: TEST_DATABASE_URL, or a cluster we start."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield given
        return
    with temporary_cluster() as cluster:
        yield None if cluster is None else cluster.admin_url


async def _connect(url: str, database: str | None = None) -> asyncpg.Connection:
    parts = make_url(url)
    return await asyncpg.connect(
        host=parts.host,
        port=parts.port,
        user=parts.username,
        password=parts.password,
        database=database or parts.database or "postgres",
    )


async def create_database(admin_url: str) -> str:
    """A new empty database on the server of ``admin_url``; returns its URL."""
    name = f"nps_{uuid.uuid4().hex[:12]}"
    connection = await _connect(admin_url)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


class SchemaTemplates:
    """One migrated database per backend, built on first use and copied into each
    test's fresh database, so that a test pays for a copy rather than for running every
    migration again. The copy is what the migrations made: ``upgrade`` then finds it
    up to date, as it finds a deployed database. Tests of the migrations themselves use
    ``database_url`` without services and still run them from nothing.
    """

    def __init__(self, directory: Path, postgres_admin_url: str | None) -> None:
        self._directory = directory
        self._admin_url = postgres_admin_url
        self._sqlite: Path | None = None
        self._postgres: str | None = None

    async def fill(self, url: str) -> None:
        """Give the fresh, empty database at ``url`` the migrated schema (a database
        that already holds anything is left as it is)."""
        parts = make_url(url)
        if parts.get_backend_name() == "sqlite":
            await self._fill_sqlite(Path(str(parts.database)))
        else:
            await self._fill_postgres(url, str(parts.database))

    async def _fill_sqlite(self, path: Path) -> None:
        if await asyncio.to_thread(path.exists):
            return
        if self._sqlite is None:
            template = self._directory / "template.db"
            await upgrade(f"sqlite+aiosqlite:///{template}")
            self._sqlite = template
        await asyncio.to_thread(shutil.copyfile, self._sqlite, path)

    async def _fill_postgres(self, url: str, name: str) -> None:
        assert self._admin_url is not None  # a PostgreSQL URL came from this server
        connection = await _connect(url)
        try:
            tables = await connection.fetchval(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            )
        finally:
            await connection.close()
        if tables:
            return
        if self._postgres is None:
            template = await create_database(self._admin_url)
            await upgrade(template)
            self._postgres = str(make_url(template).database)
        admin = await _connect(self._admin_url)
        try:
            await admin.execute(f'DROP DATABASE "{name}"')
            await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self._postgres}"')
        finally:
            await admin.close()


@pytest.fixture(scope="session")
def schema_templates(
    tmp_path_factory: pytest.TempPathFactory, postgres_admin_url: str | None
) -> SchemaTemplates:
    return SchemaTemplates(tmp_path_factory.mktemp("templates"), postgres_admin_url)


def require_postgres(postgres_admin_url: str | None) -> str:
    """``postgres_admin_url``, or skip the test when this machine has no PostgreSQL server
    (neither ``TEST_DATABASE_URL`` nor the binaries to start one; CI installs them)."""
    if postgres_admin_url is None:
        pytest.skip("no PostgreSQL server available (set TEST_DATABASE_URL or install it)")
    return postgres_admin_url


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres_admin_url: str | None,
) -> str:
    """A fresh, empty database URL: every test using it runs on both backends."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "nps.db"
        return f"sqlite+aiosqlite:///{path}"
    return await create_database(require_postgres(postgres_admin_url))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(_env_file=None, database_url=database_url, nps_pepper=TEST_PEPPER)


@pytest.fixture
async def services(
    settings: Settings, clock: Clock, schema_templates: SchemaTemplates
) -> AsyncIterator[Services]:
    await schema_templates.fill(settings.database_url)
    built = await build_services(settings, migrate=True, clock=clock)
    try:
        yield built
    finally:
        await built.database.dispose()


SLOW_GROUPS = (
    "tests/cli/",
    "tests/bench/",
    "tests/adapters/console/test_console_cli.py",
    "tests/adapters/console/test_console_drivers.py",
    "tests/adapters/console/test_console_survey.py",
    "tests/adapters/ops/test_run_deployments.py",
    "tests/adapters/slack/test_run_command.py",
    "tests/adapters/slack/test_graceful_shutdown.py",
    "tests/adapters/slack/test_startup_errors.py",
    "tests/adapters/slack/test_survey_send_cli.py",
    "tests/adapters/slack/distribution/test_run_process.py",
)
"""The end-to-end groups: each test starts real ``nps-bot`` processes. ``make quick``
skips them; ``make test`` and CI run them."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = config.rootpath
    for item in items:
        where = item.path.relative_to(root).as_posix()
        if where.startswith(SLOW_GROUPS):
            item.add_marker(pytest.mark.slow)
