"""The Platform port over the Web API double: delivery, failures, rate limits, audiences."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.slack.client import build_client
from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform
from bot.ports.platform import DeliveryFailed, DeliveryUncertain
from bot.views.common import Notice, ReportView
from tests.adapters.slack.conftest import LISTED_ADMIN, TOKEN
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser, Usergroup

ANN = "U0ANN0001"
PNG = b"\x89PNG\r\n\x1a\n" + b"chart" * 20


@pytest.fixture
async def platform(slack: SlackApiDouble) -> AsyncIterator[SlackPlatform]:
    client = build_client(token=TOKEN, base_url=slack.base_url)
    yield SlackPlatform(client, people=SlackPeople(client, admin_ids=[LISTED_ADMIN]))


async def test_direct_messages_go_to_the_user_then_to_the_remembered_dm(
    slack: SlackApiDouble, platform: SlackPlatform
) -> None:
    first = await platform.send_direct(ANN, Notice("one"))
    second = await platform.send_direct(ANN, Notice("two"))

    dm = slack.workspace.dm_channel(ANN)
    assert [call.params["channel"] for call in slack.calls("chat.postMessage")] == [ANN, dm]
    assert slack.calls("conversations.open") == []
    assert first.startswith(f"{dm}:") and second.startswith(f"{dm}:")

    await platform.update_message(first, Notice("edited"))
    assert [m.text for m in slack.workspace.messages_in(dm)] == ["edited", "two"]


async def test_unreachable_people_raise_delivery_failed_once(
    slack: SlackApiDouble, platform: SlackPlatform
) -> None:
    with pytest.raises(DeliveryFailed) as failure:
        await platform.send_direct("U0GONE001", Notice("hello"))

    assert failure.value.reason == "channel_not_found"
    assert len(slack.calls("chat.postMessage")) == 1


async def test_closed_messages_tab_is_a_delivery_failure(
    slack: SlackApiDouble, platform: SlackPlatform
) -> None:
    slack.faults.fail("chat.postMessage", "messages_tab_disabled", where={"channel": ANN})

    with pytest.raises(DeliveryFailed) as failure:
        await platform.send_direct(ANN, Notice("hello"))

    assert failure.value.reason == "messages_tab_disabled"


async def test_rate_limit_is_ridden_out_by_the_retry_handler(
    slack: SlackApiDouble, platform: SlackPlatform
) -> None:
    slack.faults.rate_limit_once("chat.postMessage", after=1, retry_after=1)

    await platform.send_direct(ANN, Notice("first"))
    await platform.send_direct(ANN, Notice("second"))

    assert slack.faults.injected["ratelimited"] == 1
    statuses = [call.status for call in slack.calls("chat.postMessage")]
    assert statuses == [200, 429, 200]
    dm = slack.workspace.dm_channel(ANN)
    assert [m.text for m in slack.workspace.messages_in(dm)] == ["first", "second"]


async def test_server_errors_are_retried(slack: SlackApiDouble, platform: SlackPlatform) -> None:
    """Calls that repeat no effect (an update, a lookup) are retried after a 5xx."""
    reference = await platform.send_direct(ANN, Notice("zero"))
    slack.faults.server_errors(fraction=0.45, methods=["chat.update", "users.info"])

    for text in ("one", "two", "three"):
        await platform.update_message(reference, Notice(text))
        assert (await platform.profile(ANN)).user_id == ANN

    assert slack.faults.injected["service_unavailable"] >= 1
    dm = slack.workspace.dm_channel(ANN)
    assert [m.text for m in slack.workspace.messages_in(dm)] == ["three"]


async def test_a_post_is_not_retried_after_a_server_error_but_said_uncertain(
    slack: SlackApiDouble, platform: SlackPlatform
) -> None:
    """Slack may have posted before answering 5xx: a retry could show a second message."""
    slack.faults.server_errors(fraction=1.0, methods=["chat.postMessage"])

    with pytest.raises(DeliveryUncertain):
        await platform.send_direct(ANN, Notice("one"))

    assert len(slack.calls("chat.postMessage")) == 1


async def test_channel_posts_carry_an_optional_chart(
    slack: SlackApiDouble, platform: SlackPlatform
) -> None:
    view = ReportView(title="NPS", headline="NPS +20", charts=(PNG,))

    await platform.post_to_channel("C0NPSGEN1", view, image=PNG)

    [posted] = slack.workspace.messages_in("C0NPSGEN1")
    assert posted.blocks[0]["text"]["text"] == "NPS"
    [upload] = slack.workspace.files.values()
    assert (upload.data, upload.channel_id, upload.completed) == (PNG, "C0NPSGEN1", True)


async def test_audiences_are_listed_across_pages_without_bots_or_deactivated_people(
    slack: SlackApiDouble, platform: SlackPlatform
) -> None:
    slack.workspace.page_size = 2
    slack.workspace.add_usergroup(Usergroup(id="S0TEAM001", handle="eng", name="Eng", users=(ANN,)))
    slack.workspace.add_user(SlackUser(id="U0HELPER1", name="helper", is_bot=True))

    everyone = await platform.list_audience({"everyone": ""})
    channel = await platform.list_audience({"channel": "C0NPSGEN1"})
    group = await platform.list_audience({"usergroup": "S0TEAM001"})

    assert sorted(p.user_id for p in everyone) == sorted(
        ["U0ANN0001", "U0KENJI01", "U0ADMIN01", LISTED_ADMIN]
    )
    assert sorted(p.user_id for p in channel) == ["U0ADMIN01", "U0ANN0001"]
    assert [p.user_id for p in group] == [ANN]
    assert {p.tenant for p in everyone} == {slack.workspace.team_id}
    assert len(slack.calls("users.list")) >= 3  # followed the cursor


async def test_profile_reads_locale_time_zone_and_admin(
    slack: SlackApiDouble, platform: SlackPlatform
) -> None:
    kenji = await platform.profile("U0KENJI01")
    boss = await platform.profile("U0ADMIN01")
    lead = await platform.profile(LISTED_ADMIN)

    assert (kenji.locale, kenji.timezone, kenji.is_admin) == ("ja-JP", "Asia/Tokyo", False)
    assert (boss.is_admin, lead.is_admin) == (True, True)
    assert kenji.platform == "slack" and kenji.tenant == slack.workspace.team_id


async def test_a_channel_name_slack_refuses_is_none_and_the_manifest_grants_the_read() -> None:
    """`conversations.info` needs ``channels:read`` or ``groups:read``: the manifest's
    scopes suffice, and a token without them gets no name rather than an error."""
    async with SlackApiDouble(token=TOKEN) as granted:
        granted.workspace.add_channel("C0GENERAL", name="general")
        client = build_client(token=TOKEN, base_url=granted.base_url)
        named = await SlackPlatform(client, people=SlackPeople(client, admin_ids=[])).channel_name(
            "C0GENERAL"
        )
    async with SlackApiDouble(token=TOKEN, scopes=["chat:write"]) as narrow:
        narrow.workspace.add_channel("C0GENERAL", name="general")
        client = build_client(token=TOKEN, base_url=narrow.base_url)
        refused = await SlackPlatform(
            client, people=SlackPeople(client, admin_ids=[])
        ).channel_name("C0GENERAL")
        [call] = narrow.calls("conversations.info")

    assert (named, refused) == ("general", None)
    assert call.error == "missing_scope"
