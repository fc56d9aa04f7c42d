"""A whole wave through the real Slack Platform: open, deliver, answer, remind, close, digest."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from adapters.slack.client import build_client
from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform
from bot.domain.people import Person
from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.usecases.context import WaveDeps
from bot.usecases.waves.closing import close_due
from bot.usecases.waves.delivery import deliver_due
from bot.usecases.waves.digest import post_digest
from bot.usecases.waves.opening import open_wave
from bot.usecases.waves.reminders import send_reminders
from bot.views.common import ReasonPrompt
from storage.models import Contact, Invitation, Survey
from tests.bot.waves.conftest import DIGEST, KENJI, OPENING, UTC_PEOPLE
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser
from tests.support.clock import Clock

TOKEN = "xoxb-waves-test-token"


@pytest.fixture
async def slack() -> AsyncIterator[SlackApiDouble]:
    async with SlackApiDouble(token=TOKEN) as double:
        double.workspace.add_user(
            *(SlackUser(id=user_id, name=user_id.lower(), tz="UTC") for user_id in UTC_PEOPLE),
            SlackUser(id=KENJI, name="kenji", locale="ja-JP", tz="Asia/Tokyo"),
            SlackUser(id="U0GONE001", name="gone", deleted=True),
        )
        double.workspace.add_channel(DIGEST, members=[])
        yield double


@pytest.fixture
def reach(slack: SlackApiDouble) -> Reach:
    """The real Slack Platform, in place of the recording one the other wave tests use."""
    client = build_client(token=TOKEN, base_url=slack.base_url)
    platform = SlackPlatform(client, people=SlackPeople(client, admin_ids=[]))
    return Reach(platform=platform, tenant=slack.workspace.team_id, per_second=200)


def person(slack: SlackApiDouble, user_id: str) -> Person:
    return Person(platform="slack", tenant=slack.workspace.team_id, user_id=user_id)


async def invitations(services: Services) -> list[Invitation]:
    async with services.database.transaction() as session:
        return list((await session.execute(select(Invitation))).scalars())


async def test_a_wave_runs_from_opening_to_digest(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    slack: SlackApiDouble,
    survey: Survey,
    clock: Clock,
) -> None:
    opened = await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    again = await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)

    assert opened is not None and opened.invited == 4
    assert again is not None and (again.wave_id, again.invited) == (opened.wave_id, 0)
    assert slack.calls("chat.postMessage") == []  # state first: nothing sent yet

    first = await deliver_due(deps, reach)
    assert (first.sent, first.failed) == (3, 0)  # Tokyo is in the evening: it waits
    clock.now = datetime(2026, 3, 11, 1, 0, tzinfo=UTC)  # Wednesday 10:00 in Tokyo
    second = await deliver_due(deps, reach)
    assert second.sent == 1
    assert (await deliver_due(deps, reach)).attempted == 0
    posted_to = sorted(call.params["channel"] for call in slack.calls("chat.postMessage"))
    assert posted_to == sorted([*UTC_PEOPLE, KENJI])

    for user_id, score in zip(UTC_PEOPLE, (10, 9, 3), strict=True):
        answer = await services.engine.record_score(
            person(slack, user_id), survey_id=str(survey.id), score=score
        )
        assert isinstance(answer, ReasonPrompt)
    assert sum(i.answered for i in await invitations(services)) == 3

    # Reminders go only to the one who was sent the question and has not answered.
    # Kenji's reminders fall on 16 and 19 March at 10:00 in Tokyo (01:00 UTC).
    for day in (17, 20, 24):
        clock.now = datetime(2026, 3, day, 0, 0, tzinfo=UTC)
        assert await send_reminders(deps, reach) == (0 if day == 24 else 1)
        assert await send_reminders(deps, reach) == 0
    dm = slack.workspace.dm_channel(KENJI)
    assert len(slack.workspace.messages_in(dm)) == 3

    clock.now = datetime(2026, 3, 25, 0, 0, tzinfo=UTC)
    assert await close_due(deps, reach) == 1
    assert await close_due(deps, reach) == 0
    closed_text = deps.catalogs.translator("en")("wave.closed")
    first_dm = slack.workspace.dm_channel(UTC_PEOPLE[0])
    assert [m.text for m in slack.workspace.messages_in(first_dm)] == [closed_text]
    stored = await invitations(services)
    assert all(i.address is None and i.reference is None and not i.answered for i in stored)
    async with services.database.transaction() as session:
        open_asks = await session.execute(select(func.count()).where(col(Contact.open).is_(True)))
        assert open_asks.scalar_one() == 0

    digests = slack.workspace.messages_in(DIGEST)
    assert len(digests) == 1
    assert await post_digest(deps, reach, wave_id=opened.wave_id) is False
    assert len(slack.workspace.messages_in(DIGEST)) == 1


async def test_no_digest_below_k_and_opted_out_people_are_not_invited(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    slack: SlackApiDouble,
    survey: Survey,
    clock: Clock,
) -> None:
    await services.engine.opt_out(person(slack, UTC_PEOPLE[0]))
    opened = await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    assert opened is not None and opened.invited == 3

    await deliver_due(deps, reach)
    await services.engine.record_score(
        person(slack, UTC_PEOPLE[1]), survey_id=str(survey.id), score=8
    )
    clock.now = datetime(2026, 3, 25, tzinfo=UTC)
    assert await close_due(deps, reach) == 1
    assert slack.workspace.messages_in(DIGEST) == []


async def test_a_refused_delivery_is_recorded_and_never_retried(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    slack: SlackApiDouble,
    survey: Survey,
) -> None:
    slack.faults.fail("chat.postMessage", "messages_tab_disabled", where={"channel": UTC_PEOPLE[2]})
    await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)

    report = await deliver_due(deps, reach)
    assert (report.sent, report.failed) == (2, 1)
    assert (await deliver_due(deps, reach)).attempted == 0
    failed = [i for i in await invitations(services) if i.status == "failed"]
    assert [i.error for i in failed] == ["messages_tab_disabled"]
    assert len(slack.calls("chat.postMessage")) == 3
