"""``/nps`` typed as an admin types it in Slack, through the signed HTTP endpoint: Slack
escapes ``#general`` and ``@team`` into references, and a pasted NUL travels too."""

from __future__ import annotations

import logging
from functools import partial

import pytest
from sqlalchemy import select

from bot.runtime.services import Services
from storage.models import Survey
from tests.adapters.slack.conftest import RunningApp, eventually, settle
from tests.doubles.slack_api import SlackApiDouble
from tests.support.slack_requests import SlackRequestBuilder

ADMIN = "U0ADMIN01"
GENERAL = "C0NPSGEN1"


def answered(slack: SlackApiDouble, count: int) -> bool:
    return len(slack.responses) == count


async def pulse(services: Services) -> Survey | None:
    async with services.database.transaction() as session:
        query = select(Survey).where(Survey.name == "pulse")
        return (await session.execute(query)).scalars().one_or_none()


async def test_a_channel_typed_as_slack_escapes_it_is_kept_as_its_id_and_the_wave_reaches_it(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    slack_services: Services,
    caplog: pytest.LogCaptureFixture,
) -> None:
    typed = (
        f"survey create pulse --kind nps --audience channel --audience_target <#{GENERAL}|general>"
        f" --digest_channel <#{GENERAL}|general> --alert_channel <#{GENERAL}>"
    )
    with caplog.at_level(logging.ERROR):
        await app.post(requests.slash_command(user_id=ADMIN, text=typed))
        await eventually(partial(answered, slack, 1))
        await app.post(requests.slash_command(user_id=ADMIN, text="survey start pulse"))
        await eventually(partial(answered, slack, 2))
        await settle(app)

    assert slack.responses[0].payload["text"] == 'Survey "pulse" created.'
    survey = await pulse(slack_services)
    assert survey is not None
    assert (survey.audience, survey.digest_channel, survey.alert_channel) == (
        {"channel": GENERAL},
        GENERAL,
        GENERAL,
    )
    # The channel's two members are invited.
    assert slack.responses[1].payload["text"].startswith('Survey "pulse" started: 2 people invited')
    assert not caplog.records


async def test_a_pasted_nul_is_refused_in_the_admins_words_and_nothing_is_stored(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    slack_services: Services,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR):
        await app.post(
            requests.slash_command(
                user_id=ADMIN, text="survey create pulse --kind nps --subject 'Acme\x00Cloud'"
            )
        )
        await eventually(partial(answered, slack, 1))
        await settle(app)

    reply = slack.responses[0].payload
    assert reply["response_type"] == "ephemeral"
    assert reply["text"] == (
        "--subject: This cannot hold a line break, a tab or another control character."
    )
    assert await pulse(slack_services) is None
    assert not caplog.records


def block_texts(payload: dict[str, object]) -> list[str]:
    blocks = payload.get("blocks")
    assert isinstance(blocks, list)
    return [str(block["text"]["text"]) for block in blocks if "text" in block]


async def test_each_refused_typed_setting_or_option_is_named_as_it_was_typed(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await app.post(
        requests.slash_command(
            user_id=ADMIN, text="survey create pulse --kind nps --k many --window_days few"
        )
    )
    await eventually(partial(answered, slack, 1))
    await app.post(requests.slash_command(user_id=ADMIN, text="survey create pulse --kind nps"))
    await eventually(partial(answered, slack, 2))
    await app.post(
        requests.slash_command(user_id=ADMIN, text="actions add pulse --title T --due 2026-04-01")
    )
    await eventually(partial(answered, slack, 3))

    [settings] = block_texts(slack.responses[0].payload)
    assert sorted(settings.splitlines()) == [
        "--k_min: Enter a whole number.",
        "--window_days: Enter a whole number.",
    ]
    [options] = block_texts(slack.responses[2].payload)
    assert options == "--owner: This is required."
