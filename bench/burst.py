"""A burst of score clicks against one nps-bot process and against two behind a proxy.

``python -m bench.burst``: one wave of 2 × N people (N = 2,000; ``--quick`` 100) is
opened and delivered on a new PostgreSQL database through the Slack Web API double.
Then N people click a score within ``SPREAD_SECONDS`` (10 s; the clicks start evenly
spread, each a signed ``block_actions`` request to Bolt's real HTTP endpoint):

* against one ``nps-bot run`` process (Slack HTTP mode);
* the other N against two replicas behind a round-robin HTTP proxy (:mod:`bench.proxy`),
  both on the same database.

Measured for each: every click's ack (the HTTP answer, which Slack wants inside 3 s),
p50 and p99; the answers stored (must be N); the throughput, answers stored per second
from the first click to the last answer stored. Goal: every ack inside 3 s, and the two
replicas' throughput at least 1.7 times one process's. The ratio only shows scaling when
one process cannot keep up with the burst; on a machine with fewer cores than the
processes need (two bots, the database, the double, the proxy and this bench) it may well
be missed, and is printed as it is.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from sqlalchemy import func, select

from bench.latency import percentile
from bench.processes import (
    SECRET,
    TOKEN,
    Replica,
    bot_environment,
    open_one_wave,
    postgres_database,
)
from bench.proxy import round_robin
from storage.database import Database
from storage.models import Response
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import PostedMessage, SlackUser
from tests.support.slack_requests import SlackRequestBuilder
from tests.support.slack_signing import SignedRequest

SPREAD_SECONDS = 10.0
ACK_LIMIT_SECONDS = 3.0
GOAL_SCALING = 1.7
STORE_LIMIT_SECONDS = 300.0


@dataclass(frozen=True)
class Burst:
    """One burst's figures: ack times (s), statuses, answers stored and how fast."""

    replicas: int
    acks: list[float]
    statuses: dict[int, int]
    stored: int
    seconds: float

    @property
    def throughput(self) -> float:
        return self.stored / self.seconds

    @property
    def all_acked_in_time(self) -> bool:
        return self.statuses == {200: len(self.acks)} and max(self.acks) < ACK_LIMIT_SECONDS


def _click(builder: SlackRequestBuilder, user: str, message: PostedMessage) -> SignedRequest:
    button = next(
        element
        for block in message.blocks
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


async def _stored(database: Database) -> int:
    async with database.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(Response))).scalar_one())


async def burst(
    slack: SlackApiDouble,
    database: Database,
    url: str,
    users: Sequence[str],
    *,
    spread: float,
) -> tuple[list[float], dict[int, int], int, float]:
    """Click a score for ``users`` spread over ``spread`` seconds at ``url``; wait for the
    answers. Returns the ack times, the statuses, the answers stored and the seconds from
    the first click to the last answer stored."""
    builder = SlackRequestBuilder(signing_secret=SECRET, response_url_base=slack.hooks_url)
    messages = {
        user: copy.deepcopy(slack.workspace.messages_in(slack.workspace.dm_channel(user))[-1])
        for user in users
    }
    before = await _stored(database)
    statuses: dict[int, int] = {}
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        loop = asyncio.get_running_loop()
        began = loop.time()

        async def click(n: int, user: str) -> float:
            await asyncio.sleep(max(0.0, began + spread * n / len(users) - loop.time()))
            request = _click(builder, user, messages[user])
            started = time.perf_counter()
            async with session.post(url, data=request.body, headers=request.headers) as answer:
                await answer.read()
                statuses[answer.status] = statuses.get(answer.status, 0) + 1
            return time.perf_counter() - started

        acks = list(await asyncio.gather(*(click(n, user) for n, user in enumerate(users))))
        stored = await _stored(database) - before
        deadline = loop.time() + STORE_LIMIT_SECONDS
        while stored < len(users) and loop.time() < deadline:
            await asyncio.sleep(0.05)
            stored = await _stored(database) - before
        return acks, statuses, stored, loop.time() - began


async def run(*, people: int, spread: float = SPREAD_SECONDS) -> tuple[Burst, Burst] | None:
    """The burst against one process, then against two; None without PostgreSQL."""
    async with postgres_database() as url:
        if url is None:
            return None
        async with SlackApiDouble(token=TOKEN) as slack:
            users = [f"U{n:08d}" for n in range(2 * people)]
            slack.workspace.add_user(
                *(SlackUser(id=user, name=user.lower(), tz="UTC") for user in users)
            )
            await open_one_wave(url, slack, people=len(users), deliver=True)
            environment = bot_environment(database_url=url, slack_url=slack.base_url)
            database = Database(url)
            try:
                with tempfile.TemporaryDirectory(prefix="nps-burst-") as workdir:
                    one = await _against(
                        slack, database, environment, Path(workdir), users[:people], 1, spread
                    )
                    two = await _against(
                        slack, database, environment, Path(workdir), users[people:], 2, spread
                    )
            finally:
                await database.dispose()
            return one, two


async def _against(
    slack: SlackApiDouble,
    database: Database,
    environment: dict[str, str],
    workdir: Path,
    users: Sequence[str],
    replicas: int,
    spread: float,
) -> Burst:
    started = [
        Replica(environment, workdir=workdir, name=f"burst-{replicas}-{n}") for n in range(replicas)
    ]
    try:
        await asyncio.gather(*(replica.start() for replica in started))
        if replicas == 1:
            figures = await burst(slack, database, started[0].url, users, spread=spread)
        else:
            async with round_robin([replica.origin for replica in started]) as origin:
                figures = await burst(
                    slack, database, f"{origin}/slack/events", users, spread=spread
                )
    finally:
        await asyncio.gather(*(replica.stop() for replica in started))
    acks, statuses, stored, seconds = figures
    return Burst(replicas=replicas, acks=acks, statuses=statuses, stored=stored, seconds=seconds)


def report(one: Burst, two: Burst, *, people: int, timed: bool = True) -> bool:
    """Print both bursts and the goals; True when every click was acked in time and every
    answer stored (the scaling goal is printed, met or MISSED, only when ``timed``)."""
    correct = True
    for figures in (one, two):
        where = "1 process" if figures.replicas == 1 else f"{figures.replicas} replicas + proxy"
        print(
            f"burst {where:<20} {len(figures.acks):,} clicks in {SPREAD_SECONDS:g} s: ack p50 "
            f"{percentile(figures.acks, 0.5) * 1000:6.0f} ms  p99 "
            f"{percentile(figures.acks, 0.99) * 1000:6.0f} ms  max {max(figures.acks):.2f} s;"
            f"  stored {figures.stored:,} in {figures.seconds:.1f} s"
            f" ({figures.throughput:.0f} answers/s)"
        )
        goals = [
            (
                f"{where}: every click acked inside 3 s {figures.statuses}",
                figures.all_acked_in_time,
            ),
            (f"{where}: answers stored = {people:,}", figures.stored == people),
        ]
        for goal, met in goals:
            print(f"{'met ' if met else 'MISSED'}  burst {goal}")
            correct = correct and met
    ratio = two.throughput / one.throughput
    print(f"burst scaling   two replicas / one process {ratio:.2f}× (baseline: one process)")
    if timed:
        met = ratio >= GOAL_SCALING
        print(f"{'met ' if met else 'MISSED'}  burst two replicas ≥ {GOAL_SCALING}× one process")
    return correct


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.burst", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--people", type=int, default=2_000, help="clicks in each burst")
    parser.add_argument("--quick", action="store_true", help="100 clicks, no scaling goal")
    args = parser.parse_args(argv)
    people = 100 if args.quick else args.people
    outcome = asyncio.run(run(people=people))
    if outcome is None:
        print("burst           skipped: no PostgreSQL server (set TEST_DATABASE_URL or install it)")
        return 0
    one, two = outcome
    return 0 if report(one, two, people=people, timed=not args.quick) else 1


if __name__ == "__main__":
    sys.exit(main())
