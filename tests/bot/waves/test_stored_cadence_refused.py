"""A survey stored with a cadence the settings now refuse is not scheduled by it.

Surveys stored before a cadence had to fire at most once a day (and on some date), or
changed in the database by hand, keep their cadence. The scheduler reads it with the
same rule: such a cadence opens no wave and posts no digest, a warning names the survey
and why, and every other survey is scheduled as before.
"""

from __future__ import annotations

import logging
import uuid

import pytest
from sqlalchemy import func, select, update

from bot.ports.reach import Reach
from bot.runtime.scheduling import DIGEST_PREFIX, OPEN_PREFIX, WaveScheduler
from bot.runtime.services import Services
from bot.usecases.surveys import SurveySpec, create_survey
from bot.views.survey_status import cadence_rows
from storage.models import Survey, Wave
from tests.bot.waves.conftest import DIGEST, OPENING
from tests.support.clock import Clock


async def _daily_survey(services: Services, reach: Reach, clock: Clock, name: str) -> Survey:
    """A survey whose settings pass today's checks: a wave at 9:00 each day, a digest on
    Mondays, in UTC."""
    return await create_survey(
        services.database,
        platform=reach.platform.name,
        tenant=reach.tenant,
        spec=SurveySpec(
            name=name,
            cadence="0 9 * * *",
            digest_channel=DIGEST,
            digest_cadence="0 8 * * mon",
            timezone="UTC",
        ),
        now=clock(),
        default_locale="en",
    )


async def _store(services: Services, survey_id: uuid.UUID, **values: str) -> None:
    """Write ``values`` into the survey's row, past the settings' checks."""
    async with services.database.transaction() as session:
        await session.execute(update(Survey).where(Survey.id == survey_id).values(**values))


async def _waves(services: Services, survey_id: uuid.UUID) -> int:
    async with services.database.transaction() as session:
        count = await session.scalar(
            select(func.count()).select_from(Wave).where(Wave.survey_id == survey_id)
        )
        return int(count or 0)


@pytest.mark.parametrize(
    ("column", "stored", "reason"),
    [
        ("cadence", "* * * * *", "more than once a day"),
        ("cadence", "0 9 31 2 *", "never fires"),
        ("cadence", "not a cadence", "not a crontab line"),
        ("timezone", "Mars/Olympus", "unknown"),
        ("digest_cadence", "*/5 * * * *", "more than once a day"),
    ],
)
async def test_a_stored_cadence_now_refused_schedules_nothing_and_others_go_on(
    services: Services,
    reach: Reach,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
    column: str,
    stored: str,
    reason: str,
) -> None:
    clock.now = OPENING
    made = {name: await _daily_survey(services, reach, clock, name) for name in ("broken", "fine")}
    broken, fine = made["broken"], made["fine"]
    await _store(services, broken.id, **{column: stored})
    scheduler = WaveScheduler(services.waves, [reach])
    scheduler.scheduler.start(paused=True)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.runtime.scheduling"):
            await scheduler.sync()
            await scheduler.sync()  # every tick syncs: the warning is not repeated
        jobs = {job.id for job in scheduler.scheduler.get_jobs()}
    finally:
        scheduler.shutdown()

    assert {f"{OPEN_PREFIX}{fine.id}", f"{DIGEST_PREFIX}{fine.id}"} <= jobs
    # Each job is judged by its own cadence; the time zone reads both.
    opens = column == "digest_cadence"
    digests = column == "cadence"
    assert (f"{OPEN_PREFIX}{broken.id}" in jobs) is opens
    assert (f"{DIGEST_PREFIX}{broken.id}" in jobs) is digests
    assert await _waves(services, broken.id) == (1 if opens else 0)
    assert await _waves(services, fine.id) == 1  # 09:00 today, inside the window
    warnings = [record.getMessage() for record in caplog.records]
    about = [message for message in warnings if "'broken'" in message]
    # One warning for each thing refused, however many syncs read it.
    assert len(about) == 2 - opens - digests, warnings
    assert all(reason in message for message in about), warnings


@pytest.mark.parametrize(
    ("values", "cadence", "digest"),
    [
        (
            {"cadence": "* * * * *"},
            "* * * * * (not scheduled: it fires more than once a day;",
            None,
        ),
        ({"digest_cadence": "0 9 31 2 *"}, None, "0 9 31 2 * (not scheduled: it matches no date;"),
        (
            {"timezone": "Mars/Olympus"},
            "0 9 * * * (not scheduled: the time zone is unknown;",
            "0 8 * * mon (not scheduled: the time zone is unknown;",
        ),
        ({}, None, None),
    ],
)
async def test_the_status_says_a_stored_cadence_refused_now_schedules_nothing(
    services: Services,
    reach: Reach,
    clock: Clock,
    values: dict[str, str],
    cadence: str | None,
    digest: str | None,
) -> None:
    clock.now = OPENING
    survey = await _daily_survey(services, reach, clock, "pulse")
    if values:
        await _store(services, survey.id, **values)
    async with services.database.transaction() as session:
        stored = await session.get_one(Survey, survey.id)

    rows = {
        row.label: row.value for row in cadence_rows(services.catalogs.translator("en"), stored)
    }

    for label, refused, kept in (
        ("Cadence", cadence, "0 9 * * *"),
        ("Digest cadence", digest, "0 8 * * mon"),
    ):
        if refused is None:
            assert rows[label] == kept
        else:
            assert rows[label].startswith(refused), rows[label]
            assert rows[label].endswith("set another with survey edit)")
