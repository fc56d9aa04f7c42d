"""The send API under concurrent and hostile requests, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import aiohttp

from storage.models import Survey
from tests.adapters.slack.test_send_api import API_TOKEN, dms, post, server, survey
from tests.doubles.slack_api import SlackApiDouble

__all__ = ["server", "survey"]  # the fixtures this module shares

ANN = "U0ANN0001"
CONCURRENT = 12


async def test_concurrent_sends_for_one_person_send_one_message(
    server: tuple[str, aiohttp.ClientSession], slack: SlackApiDouble, survey: Survey
) -> None:
    """Every request looks the person up first; holding those answers until all have
    arrived lets every request read "no ask yet" before any writes one. Only the call
    whose insert created the ask may send: the others lost the race at the insert."""
    slack.gather("users.info", calls=CONCURRENT)
    answers = await asyncio.gather(
        *(post(server, survey.name, {"user": ANN}) for _ in range(CONCURRENT))
    )
    assert sorted((status, body["result"]) for status, body, _ in answers) == [
        (200, "not_eligible")
    ] * (CONCURRENT - 1) + [(200, "sent")]
    assert dms(slack, ANN) == 1
    assert len(slack.calls("users.info")) == CONCURRENT  # all of them were held together


async def test_a_nul_in_the_survey_is_an_unknown_survey(
    server: tuple[str, aiohttp.ClientSession], survey: Survey
) -> None:
    origin, session = server
    headers = {"Authorization": f"Bearer {API_TOKEN}"}
    for ref in ("%00", "support%00", "%00support"):
        async with session.post(
            f"{origin}/api/surveys/{ref}/send", json={"user": ANN}, headers=headers
        ) as response:
            assert (response.status, (await response.json())["error"]) == (404, "unknown_survey")
