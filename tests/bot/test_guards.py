"""The shared guards: a database failure and a non-admin are answered the same way by
every use case, and a use case's own result passes through untouched."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from bot.domain.people import Person
from bot.i18n import Catalogs, Translator
from bot.usecases.chat import SurveyDefaults
from bot.usecases.context import WaveDeps
from bot.usecases.engine import Engine
from bot.usecases.guards import admin_only, database_guard
from bot.usecases.reports import Reports
from bot.usecases.survey_admin import SurveyAdmin
from bot.views.common import Notice, Tone
from storage.database import Database
from tests.support.clock import Clock

CATALOGS = Catalogs()
JA = CATALOGS.translator("ja")


class Counter:
    """A use-case owner of the test's own: counts the calls that got through."""

    def __init__(self) -> None:
        self.runs = 0

    def translator(self, person: Person) -> Translator:
        return CATALOGS.translator(person.locale or "en")

    @admin_only("report.not_allowed")
    @database_guard
    async def count(self, person: Person, *, fail: bool = False) -> int:
        self.runs += 1
        if fail:
            raise OperationalError("SELECT 1", {}, ConnectionError("the database went away"))
        return self.runs


def someone(*, admin: bool = True) -> Person:
    return Person(platform="slack", tenant="T1", user_id="U1", locale="ja", is_admin=admin)


async def test_a_use_cases_own_result_passes_through() -> None:
    owner = Counter()
    assert await owner.count(someone()) == 1
    assert await owner.count(someone()) == 2


async def test_a_database_failure_is_a_try_again_notice_in_the_persons_language() -> None:
    owner = Counter()
    assert await owner.count(someone(), fail=True) == Notice(JA("error.try_again"), Tone.ERROR)
    assert owner.runs == 1


async def test_someone_who_is_not_an_admin_is_refused_before_anything_runs() -> None:
    owner = Counter()
    refused = await owner.count(someone(admin=False))
    assert refused == Notice(JA("report.not_allowed"), Tone.WARNING)
    assert owner.runs == 0


@pytest.fixture
async def unreachable(tmp_path: Path) -> AsyncIterator[WaveDeps]:
    """Use-case collaborators over a database file that cannot be opened."""
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'nps.db'}")
    try:
        yield WaveDeps(
            database=database,
            catalogs=CATALOGS,
            reports=Reports(),
            pepper=b"p" * 32,
            clock=Clock(),
            default_locale="en",
            claim_lease=timedelta(seconds=600),
        )
    finally:
        await database.dispose()


async def test_the_conversation_and_the_survey_administration_share_the_guard(
    unreachable: WaveDeps,
) -> None:
    engine, admin = Engine(unreachable, defaults=SurveyDefaults()), SurveyAdmin(unreachable)
    try_again = Notice(JA("error.try_again"), Tone.ERROR)
    assert await engine.start(someone()) == try_again
    assert await engine.privacy(someone()) == try_again
    assert await engine.survey_status(someone()) == try_again
    assert await admin.list(someone()) == try_again
    assert await admin.status(someone(), "pulse") == try_again
