"""The Web API double answers the real slack_sdk client the way Slack does."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.web.async_client import AsyncWebClient

from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser, Usergroup

TOKEN = "xoxb-test-token"


def client_for(
    slack: SlackApiDouble, *, retry_handlers: list[AsyncRetryHandler] | None = None
) -> AsyncWebClient:
    return AsyncWebClient(base_url=slack.base_url, token=TOKEN, retry_handlers=retry_handlers)


async def test_base_url_is_joined_with_method_names_and_calls_are_recorded(
    slack: SlackApiDouble,
) -> None:
    assert slack.base_url.startswith("http://127.0.0.1:")
    assert slack.base_url.endswith("/api/")

    response = await client_for(slack).auth_test()

    assert response["team_id"] == slack.workspace.team_id
    assert response["user_id"] == slack.workspace.bot_user_id
    assert response["bot_id"] == slack.workspace.bot_id
    call = slack.last("auth.test")
    assert call.token == TOKEN
    assert call.headers["authorization"] == f"Bearer {TOKEN}"
    assert call.ok


async def test_posting_to_a_user_lands_in_one_stable_dm_with_increasing_ts(
    slack: SlackApiDouble,
) -> None:
    slack.workspace.add_user(SlackUser(id="U1", name="ann"))
    client = client_for(slack)

    first = await client.chat_postMessage(channel="U1", text="one", blocks=[{"type": "divider"}])
    second = await client.chat_postMessage(channel="U1", text="two")
    opened = await client.conversations_open(users="U1")

    assert first["channel"] == second["channel"] == opened["channel"]["id"]
    assert first["channel"].startswith("D")
    assert float(first["ts"]) < float(second["ts"])
    assert first["message"]["blocks"] == [{"type": "divider"}]
    assert slack.calls("chat.postMessage")[0].params["blocks"] == [{"type": "divider"}]
    assert [m.text for m in slack.workspace.messages_in(first["channel"])] == ["one", "two"]


async def test_messages_can_be_updated_then_deleted_once(slack: SlackApiDouble) -> None:
    slack.workspace.add_channel("C1", members=["U1"])
    client = client_for(slack)
    posted = await client.chat_postMessage(channel="C1", text="draft")

    updated = await client.chat_update(channel="C1", ts=posted["ts"], text="final")
    await client.chat_delete(channel="C1", ts=posted["ts"])

    assert updated["message"]["text"] == "final"
    assert slack.workspace.messages_in("C1") == []
    with pytest.raises(SlackApiError) as raised:
        await client.chat_update(channel="C1", ts=posted["ts"], text="again")
    assert raised.value.response["error"] == "message_not_found"


async def test_users_info_reports_locale_only_when_asked(slack: SlackApiDouble) -> None:
    slack.workspace.add_user(
        SlackUser(id="U1", name="aiko", locale="ja-JP", tz="Asia/Tokyo", tz_offset=32400)
    )
    client = client_for(slack)

    with_locale = await client.users_info(user="U1", include_locale=True)
    without = await client.users_info(user="U1")

    assert with_locale["user"]["locale"] == "ja-JP"
    assert with_locale["user"]["tz_offset"] == 32400
    assert "locale" not in without["user"]
    with pytest.raises(SlackApiError) as raised:
        await client.users_info(user="U404")
    assert raised.value.response["error"] == "user_not_found"


async def test_lists_are_paginated_with_cursors(slack: SlackApiDouble) -> None:
    ids = [f"U{n}" for n in range(5)]
    slack.workspace.add_user(*(SlackUser(id=user_id, name=user_id.lower()) for user_id in ids))
    slack.workspace.add_channel("C1", members=ids)
    client = client_for(slack)

    members = [m["id"] async for page in await client.users_list(limit=2) for m in page["members"]]
    in_channel = [
        user_id
        async for page in await client.conversations_members(channel="C1", limit=2)
        for user_id in page["members"]
    ]

    assert members == [slack.workspace.bot_user_id, *ids]
    assert in_channel == ids
    assert len(slack.calls("conversations.members")) == 3


async def test_usergroups_list_their_members(slack: SlackApiDouble) -> None:
    slack.workspace.add_usergroup(Usergroup("S1", "eng", "Engineering", ("U1", "U2")))
    client = client_for(slack)

    groups = await client.usergroups_list(include_users=True)
    members = await client.usergroups_users_list(usergroup="S1")

    assert [(g["handle"], g["users"]) for g in groups["usergroups"]] == [("eng", ["U1", "U2"])]
    assert members["users"] == ["U1", "U2"]


async def test_views_open_and_publish(slack: SlackApiDouble) -> None:
    slack.workspace.add_user(SlackUser(id="U1", name="ann"))
    client = client_for(slack)
    modal = {"type": "modal", "callback_id": "reason", "title": {"type": "plain_text", "text": "x"}}

    opened = await client.views_open(trigger_id="1.2.3", view=modal)
    updated = await client.views_update(view_id=opened["view"]["id"], view=modal | {"blocks": []})
    await client.views_publish(user_id="U1", view={"type": "home", "blocks": []})

    assert opened["view"]["callback_id"] == "reason"
    assert updated["view"]["id"] == opened["view"]["id"]
    assert slack.workspace.home_views["U1"]["type"] == "home"


async def test_files_upload_v2_stores_the_bytes(slack: SlackApiDouble) -> None:
    slack.workspace.add_channel("C1")
    chart = b"\x89PNG\r\n\x1a\n" + bytes(range(256))

    response = await client_for(slack).files_upload_v2(
        channel="C1", file=chart, filename="nps.png", title="NPS", initial_comment="Weekly"
    )

    (stored,) = slack.workspace.files.values()
    assert response["file"]["id"] == stored.id
    assert stored.data == chart
    assert (stored.channel_id, stored.title, stored.completed) == ("C1", "NPS", True)


async def test_unknown_methods_and_bad_tokens_are_refused() -> None:
    async with SlackApiDouble(token=TOKEN) as slack:
        clients = [
            client_for(slack),
            AsyncWebClient(base_url=slack.base_url, token="xoxb-other"),
            AsyncWebClient(base_url=slack.base_url),
        ]
        errors = []
        for client, method in zip(clients, ["pins.add", "auth.test", "auth.test"], strict=True):
            with pytest.raises(SlackApiError) as raised:
                await client.api_call(method)
            errors.append(raised.value.response["error"])

    assert errors == ["unknown_method", "invalid_auth", "not_authed"]
    assert slack.faults.total_injected == 0


async def test_refusals_apply_to_chosen_arguments_and_are_counted(slack: SlackApiDouble) -> None:
    slack.workspace.add_user(SlackUser(id="U1", name="ann"), SlackUser(id="U2", name="bo"))
    slack.faults.fail("conversations.open", "cannot_dm_bot", where={"users": "U2"})
    slack.faults.fail("chat.postMessage", "account_inactive", times=1)
    client = client_for(slack)

    await client.conversations_open(users="U1")
    with pytest.raises(SlackApiError) as refused:
        await client.conversations_open(users="U2")
    with pytest.raises(SlackApiError) as inactive:
        await client.chat_postMessage(channel="U1", text="hi")
    await client.chat_postMessage(channel="U1", text="hi")

    assert refused.value.response["error"] == "cannot_dm_bot"
    assert inactive.value.response["error"] == "account_inactive"
    assert slack.faults.injected == {"cannot_dm_bot": 1, "account_inactive": 1}
    assert [call.fault for call in slack.calls("chat.postMessage")] == ["account_inactive", None]


async def test_rate_limit_answers_429_with_retry_after() -> None:
    # On a clock that stands still, the second call is inside the window however long
    # the first took, and Retry-After is the whole window.
    async with SlackApiDouble(clock=lambda: 0.0) as slack:
        slack.workspace.add_channel("C1")
        slack.faults.rate_limit("chat.postMessage", calls=1, window=60)
        client = client_for(slack, retry_handlers=[])

        await client.chat_postMessage(channel="C1", text="first")
        with pytest.raises(SlackApiError) as raised:
            await client.chat_postMessage(channel="C1", text="second")

    assert raised.value.response.status_code == 429
    assert raised.value.response["error"] == "ratelimited"
    assert raised.value.response.headers["Retry-After"] == "60"


async def test_a_sliding_window_frees_a_slot_once_it_has_passed() -> None:
    moment = 0.0  # the double's clock reads it at each call
    async with SlackApiDouble(clock=lambda: moment) as slack:
        slack.workspace.add_channel("C1")
        slack.faults.rate_limit("chat.postMessage", calls=1, window=10)
        client = client_for(slack, retry_handlers=[])

        await client.chat_postMessage(channel="C1", text="first")
        moment = 9.5
        with pytest.raises(SlackApiError) as raised:
            await client.chat_postMessage(channel="C1", text="too soon")
        moment = 10.0
        await client.chat_postMessage(channel="C1", text="in the next window")

    assert raised.value.response.headers["Retry-After"] == "1"
    statuses = [call.status for call in slack.calls("chat.postMessage")]
    assert statuses == [200, 429, 200]


async def test_rate_limit_retry_handler_waits_for_retry_after(slack: SlackApiDouble) -> None:
    slack.workspace.add_channel("C1")
    slack.faults.rate_limit_once("chat.postMessage", after=1, retry_after=1)
    client = client_for(
        slack,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
    )

    await client.chat_postMessage(channel="C1", text="first")
    started = time.monotonic()
    second = await client.chat_postMessage(channel="C1", text="second")

    assert time.monotonic() - started >= 1.0  # Retry-After: only a lower bound
    assert second["ok"]
    statuses = [call.status for call in slack.calls("chat.postMessage")]
    assert statuses == [200, 429, 200]
    assert slack.last("chat.postMessage").params["text"] == "second"
    assert slack.faults.injected["ratelimited"] == 1


async def test_server_errors_are_retried_by_the_sdk_handlers() -> None:
    quick = FixedValueRetryIntervalCalculator(0.01)
    async with SlackApiDouble(seed=7) as slack:
        slack.workspace.add_channel("C1")
        slack.faults.server_errors(fraction=0.3, methods=["chat.postMessage"])
        client = client_for(
            slack,
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(interval_calculator=quick),
                AsyncRateLimitErrorRetryHandler(),
                AsyncServerErrorRetryHandler(max_retry_count=5, interval_calculator=quick),
            ],
        )

        for n in range(10):
            await client.chat_postMessage(channel="C1", text=str(n))

    assert slack.faults.injected["service_unavailable"] > 0
    assert len(slack.calls("chat.postMessage")) == 10 + slack.faults.total_injected
    assert [m.text for m in slack.workspace.messages_in("C1")] == [str(n) for n in range(10)]


async def test_server_errors_follow_the_seed() -> None:
    async def fault_pattern(seed: int) -> list[int]:
        async with SlackApiDouble(seed=seed) as slack:
            slack.faults.server_errors(fraction=0.5, status=500)
            client = client_for(slack, retry_handlers=[])
            for _ in range(12):
                try:
                    await client.auth_test()
                except SlackApiError as error:
                    assert error.response["error"] == "internal_error"
            return [call.status for call in slack.calls()]

    first, again, other = await fault_pattern(1), await fault_pattern(1), await fault_pattern(2)

    assert first == again
    assert first != other
    assert {200, 500} == set(first)


@pytest.fixture
async def slack() -> AsyncIterator[SlackApiDouble]:
    async with SlackApiDouble() as double:
        yield double


async def test_a_method_needing_a_scope_the_token_lacks_is_refused_as_slack_does() -> None:
    async with SlackApiDouble(token="xoxb-t", scopes=["chat:write"]) as slack:
        slack.workspace.add_user(SlackUser(id="U1", name="ann"))
        client = AsyncWebClient(base_url=slack.base_url, token="xoxb-t")
        posted = await client.chat_postMessage(channel="U1", text="hi")
        with pytest.raises(SlackApiError) as refused:
            await client.conversations_history(channel=str(posted["channel"]))
        checked = await client.auth_test()

    assert refused.value.response["error"] == "missing_scope"
    assert refused.value.response["needed"] == "im:history"
    assert checked.headers["x-oauth-scopes"] == "chat:write"
