"""Interaction latency: concurrent score clicks through Bolt's HTTP endpoint.

The real app (``adapters.slack.app.create_app``) is served on loopback over SQLite, its
Web API calls landing on the local Slack double; N people click a score button at the
same moment (signed ``block_actions`` requests). Measured: p50 and p99 time to the HTTP
response, which is Slack's ack (goal: p99 under 250 ms). Baseline: the same endpoint
answering requests whose signature is bad (401, no work), the framework's own floor.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from sqlalchemy import func, select

from adapters.slack.app import create_app
from adapters.slack.client import build_client
from adapters.slack.server import EVENTS_PATH, http_server
from bot.runtime.services import Services, build_services
from bot.runtime.settings import Settings
from storage.models import Response
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import PostedMessage, SlackUser
from tests.support.slack_requests import SlackRequestBuilder
from tests.support.slack_signing import Delivery, SignedRequest

GOAL_P99_SECONDS = 0.25
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-token"
BENCH_PEPPER = "bench-pepper-" + "b" * 40


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


async def _timed_posts(
    session: aiohttp.ClientSession, url: str, requests: list[SignedRequest], *, expect: int
) -> list[float]:
    async def post(request: SignedRequest) -> float:
        started = time.perf_counter()
        async with session.post(url, data=request.body, headers=request.headers) as response:
            await response.read()
            if response.status != expect:
                raise RuntimeError(f"expected HTTP {expect}, got {response.status}")
        return time.perf_counter() - started

    return list(await asyncio.gather(*(post(request) for request in requests)))


async def run(*, clicks: int) -> tuple[list[float], list[float]]:
    """(ack times of the score clicks, times of the rejected requests), in seconds."""
    with tempfile.TemporaryDirectory(prefix="nps-latency-") as directory:
        url = f"sqlite+aiosqlite:///{Path(directory) / 'latency.db'}"
        settings = Settings(_env_file=None, database_url=url, nps_pepper=BENCH_PEPPER)
        services = await build_services(settings, migrate=True)
        try:
            async with SlackApiDouble(token=TOKEN) as slack:
                users = [f"U{n:08d}" for n in range(clicks)]
                slack.workspace.add_user(*(SlackUser(id=user, name=user.lower()) for user in users))
                builder = SlackRequestBuilder(
                    signing_secret=SECRET, response_url_base=slack.hooks_url
                )
                client = build_client(token=TOKEN, base_url=slack.base_url)
                app, _ = create_app(services, client=client, signing_secret=SECRET, admin_ids=())
                connector = aiohttp.TCPConnector(limit=0)
                async with (
                    http_server(app, host="127.0.0.1", port=0) as origin,
                    aiohttp.ClientSession(connector=connector) as session,
                ):
                    events = f"{origin}{EVENTS_PATH}"
                    # Each person is asked first, as a wave would; then all click at once.
                    asked = [builder.slash_command(user_id=user) for user in users]
                    await _timed_posts(session, events, asked, expect=200)
                    messages: dict[str, PostedMessage] = {}
                    deadline = time.monotonic() + 60
                    while len(messages) < clicks and time.monotonic() < deadline:
                        for user in users:
                            posted = slack.workspace.messages_in(slack.workspace.dm_channel(user))
                            if posted:
                                messages[user] = copy.deepcopy(posted[-1])
                        await asyncio.sleep(0.05)
                    clicks_sent = [
                        _click(builder, user, message) for user, message in messages.items()
                    ]
                    acks = await _timed_posts(session, events, clicks_sent, expect=200)
                    forged = [
                        builder.slash_command(user_id=user, delivery=Delivery(bad_signature=True))
                        for user in users
                    ]
                    floor = await _timed_posts(session, events, forged, expect=401)
                    # Listeners keep working after the ack; closing the database under
                    # them would cancel transactions midway, so wait for every answer.
                    await _until_stored(services, len(clicks_sent), slack=slack)
        finally:
            await services.database.dispose()
    return acks, floor


async def _until_stored(services: Services, answers: int, *, slack: SlackApiDouble) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        async with services.database.transaction() as session:
            stored = (await session.execute(select(func.count()).select_from(Response))).scalar()
        if stored == answers and len(slack.calls("chat.update")) >= answers:
            return
        await asyncio.sleep(0.1)
    raise RuntimeError(f"only {stored} of {answers} answers were stored in time")


def _click(builder: SlackRequestBuilder, user: str, message: PostedMessage) -> SignedRequest:
    blocks = message.blocks
    button = next(
        element
        for block in blocks
        if block.get("type") == "actions"
        for element in block["elements"]
        if element.get("type") == "button" and element["text"]["text"] == "8"
    )
    return builder.block_actions(
        user_id=user,
        action_id=button["action_id"],
        value=button["value"],
        channel_id=message.channel,
        message_ts=message.ts,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.latency", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--clicks", type=int, default=200, help="concurrent score clicks")
    parser.add_argument("--quick", action="store_true", help="a small run (20 clicks)")
    args = parser.parse_args(argv)
    acks, floor = asyncio.run(run(clicks=20 if args.quick else args.clicks))
    if not acks:
        print("error: no survey message reached the people; nothing was clicked")
        return 1
    p50, p99 = percentile(acks, 0.5), percentile(acks, 0.99)
    f50, f99 = percentile(floor, 0.5), percentile(floor, 0.99)
    print(
        f"latency score clicks ({len(acks)} at once)"
        f"  p50 {p50 * 1000:7.1f} ms   p99 {p99 * 1000:7.1f} ms"
    )
    print(
        f"latency bad signature (401 floor)   p50 {f50 * 1000:7.1f} ms   p99 {f99 * 1000:7.1f} ms"
    )
    print(
        f"latency p99 / floor p99 {p99 / f99:.1f} ×"
        f"   (mean click {statistics.mean(acks) * 1000:.1f} ms)"
    )
    met = p99 < GOAL_P99_SECONDS
    print(f"{'met ' if met else 'MISSED'}  p99 under {GOAL_P99_SECONDS * 1000:.0f} ms on SQLite")
    return 0


if __name__ == "__main__":
    sys.exit(main())
