"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, and wired services."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.runtime.services import Services, build_services
from bot.runtime.settings import Settings
from tests.support.clock import Clock
from tests.support.postgres import temporary_cluster

TEST_PEPPER = "test-pepper-" + "x" * 40


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str | None]:
    """An admin URL of a PostgreSQL server: TEST_DATABASE_URL, or a cluster we start."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield given
        return
    with temporary_cluster() as cluster:
        yield None if cluster is None else cluster.admin_url


async def create_database(admin_url: str) -> str:
    """A new empty database on the server of ``admin_url``; returns its URL."""
    url = make_url(admin_url)
    name = f"nps_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database or "postgres",
    )
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return url.set(database=name).render_as_string(hide_password=False)


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
    if postgres_admin_url is None:
        pytest.skip("no PostgreSQL server available (set TEST_DATABASE_URL or install it)")
    return await create_database(postgres_admin_url)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(_env_file=None, database_url=database_url, nps_pepper=TEST_PEPPER)


@pytest.fixture
async def services(settings: Settings, clock: Clock) -> AsyncIterator[Services]:
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
