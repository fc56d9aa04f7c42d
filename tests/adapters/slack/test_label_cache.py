"""Slack label look-ups over the Web API double: cached until they expire, one call for a
burst, rate limits waited out by the client's retry handler, refusals survived."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from adapters.slack.client import build_client
from adapters.slack.expiring import RETRY_AFTER_FAILURE
from adapters.slack.labels import SlackLabelRules, SlackLabelSources
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_profiles import ProfileField
from tests.doubles.slack_records import SlackUser, Usergroup

TOKEN = "xoxb-label-cache"
ANN, BEN = "U0ANN0001", "U0BEN0001"
TTL = 300.0


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def slack() -> AsyncIterator[SlackApiDouble]:
    async with SlackApiDouble(token=TOKEN) as double:
        double.workspace.add_user(SlackUser(id=ANN, name="ann"), SlackUser(id=BEN, name="ben"))
        double.workspace.add_usergroup(Usergroup("S0ENG", "eng", "Engineering", (ANN,)))
        double.workspace.profiles.define(ProfileField("Xf01", "Office"))
        double.workspace.profiles.set(ANN, Office="Osaka")
        yield double


def sources(
    slack: SlackApiDouble,
    clock: Clock,
    *,
    usergroup_label: str | None = None,
    profile_fields: dict[str, str] | None = None,
) -> SlackLabelSources:
    client = build_client(token=TOKEN, base_url=slack.base_url)
    rules = SlackLabelRules(
        usergroup_label=usergroup_label, profile_fields=profile_fields or {}, cache_seconds=TTL
    )
    return SlackLabelSources(client, rules, clock=clock)


async def test_labels_are_cached_until_they_expire(slack: SlackApiDouble) -> None:
    clock = Clock()
    labels = sources(slack, clock, usergroup_label="team", profile_fields={"Office": "office"})
    assert await labels.labels(ANN) == {"team": "eng", "office": "Osaka"}

    # A re-organisation in Slack: not seen while the cache is fresh.
    slack.workspace.add_usergroup(Usergroup("S0ENG", "eng", "Engineering", ()))
    slack.workspace.add_usergroup(Usergroup("S0OPS", "ops", "Operations", (ANN,)))
    slack.workspace.profiles.set(ANN, Office="Kyoto")
    clock.now += TTL - 1
    assert await labels.labels(ANN) == {"team": "eng", "office": "Osaka"}
    calls = ("usergroups.list", "team.profile.get", "users.profile.get")
    assert [len(slack.calls(method)) for method in calls] == [1, 1, 1]

    clock.now += 1
    assert await labels.labels(ANN) == {"team": "ops", "office": "Kyoto"}
    assert [len(slack.calls(method)) for method in calls] == [2, 2, 2]


async def test_a_burst_on_a_cold_cache_makes_one_call(slack: SlackApiDouble) -> None:
    labels = sources(slack, Clock(), usergroup_label="team")
    found = await asyncio.gather(*(labels.labels(person) for person in (ANN, BEN) * 5))
    assert found == [{"team": "eng"}, {}] * 5
    assert len(slack.calls("usergroups.list")) == 1


async def test_a_rate_limited_look_up_waits_for_retry_after_and_succeeds(
    slack: SlackApiDouble,
) -> None:
    slack.faults.rate_limit_once("usergroups.list", after=1, retry_after=1)
    client = build_client(token=TOKEN, base_url=slack.base_url)
    await client.usergroups_list()  # the window's one call is taken
    labels = SlackLabelSources(client, SlackLabelRules(usergroup_label="team"), clock=Clock())

    started = asyncio.get_running_loop().time()
    assert await labels.labels(ANN) == {"team": "eng"}
    assert asyncio.get_running_loop().time() - started >= 1.0
    assert slack.faults.injected["ratelimited"] == 1
    assert [call.status for call in slack.calls("usergroups.list")] == [200, 429, 200]


async def test_a_refused_look_up_serves_what_was_known_and_is_not_hammered(
    slack: SlackApiDouble,
) -> None:
    clock = Clock()
    labels = sources(slack, clock, usergroup_label="team")
    assert await labels.labels(ANN) == {"team": "eng"}

    slack.faults.fail("usergroups.list", "missing_scope")
    clock.now += TTL
    assert await labels.labels(ANN) == {"team": "eng"}  # the last value known
    assert await labels.labels(ANN) == {"team": "eng"}
    assert len(slack.calls("usergroups.list")) == 2  # the refusal is not asked again at once

    slack.faults.clear()
    clock.now += RETRY_AFTER_FAILURE
    slack.workspace.add_usergroup(Usergroup("S0ENG", "eng", "Engineering", ()))
    assert await labels.labels(ANN) == {}
    assert len(slack.calls("usergroups.list")) == 3


async def test_a_refusal_with_nothing_known_leaves_no_labels(slack: SlackApiDouble) -> None:
    slack.faults.fail("team.profile.get", "missing_scope")
    labels = sources(slack, Clock(), profile_fields={"Office": "office"})
    assert await labels.labels(ANN) == {}
    assert slack.calls("users.profile.get") == []
