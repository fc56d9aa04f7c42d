"""Typed text options with a pasted NUL, through the real discord.py client: a setting is
refused in the admin's words, and nothing is stored or logged as a failure."""

from __future__ import annotations

import logging

import pytest

from bot.runtime.services import Services
from tests.adapters.discord.test_survey_admin import stored, survey_command
from tests.adapters.discord.world import ADMIN, GUILD, connected
from tests.doubles.discord_api import DiscordDouble


async def test_a_subject_with_a_nul_is_refused_and_no_survey_is_created(
    double: DiscordDouble, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    options = {"name": "community", "subject": "Acme\x00Cloud"}
    with caplog.at_level(logging.ERROR):
        async with connected(double, services):
            record = await double.dispatch_interaction(
                survey_command(double, "create", user=ADMIN, options=options)
            )
            refusal = await record.followups.wait_for(0)

    assert refusal.body.ephemeral
    assert "cannot hold a line break, a tab or another control character" in str(
        refusal.body.content
    )
    assert await stored(services) == []
    assert not caplog.records


async def test_a_breakdown_by_a_label_with_a_nul_is_refused_in_words(
    double: DiscordDouble, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        async with connected(double, services):
            record = await double.dispatch_interaction(
                double.payloads.slash_command(
                    "nps report", user=ADMIN, guild=GUILD, options={"by": "te\x00am"}
                )
            )
            refusal = await record.followups.wait_for(0)

    said = str(refusal.body.content) + str(refusal.body.embeds)
    assert "no tab, control, bidi or zero-width character" in said
    assert not caplog.records
