"""A burst of score clicks against one nps-bot process and against two behind a proxy.

``python -m bench.burst``: one wave of 2 × N people (N = 2,000; ``--quick`` 100) is
opened and delivered on a new PostgreSQL database through the Slack Web API double.
Then N people click a score within ``SPREAD_SECONDS`` (10 s; the clicks start evenly
spread, each a signed ``block_actions`` request to Bolt's real HTTP endpoint):

* against one ``nps-bot run`` process (Slack HTTP mode);
* the other N against two replicas behind a round-robin HTTP proxy (:mod:`bench.proxy`,
  a process of its own), both on the same database.

Measured for each: every click's ack (the HTTP answer, which Slack wants inside 3 s),
p50 and p99; the answers stored (must be N); the throughput, answers stored per second
from the first click to the last answer stored. Goal: every ack inside 3 s, and the two
replicas' throughput at least 1.7 times one process's. The ratio only shows scaling when
one process cannot keep up with the burst: ``--spread`` sends the clicks faster.

Beside each burst is where its CPU went (:mod:`bench.cpu`): the bots, the database's
connections, this bench (the double, the clicks, the proxy) and everything else on the
machine, per answer. From these comes the ceiling this machine sets: one bot process runs
on one core at most, and all of them together on the machine's cores, so on a machine
with fewer cores than the processes need the scaling goal is missed whatever the bot
does, and the ceiling says by how much.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench import cpu, waits
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
CORES = os.cpu_count() or 1


@dataclass(frozen=True)
class Burst:
    """One burst's figures: ack times (s), statuses, answers stored and how fast."""

    replicas: int
    spread: float
    """The seconds the clicks' starts were spread over."""
    acks: list[float]
    statuses: dict[int, int]
    stored: int
    seconds: float
    cpu: cpu.CpuSplit | None
    """CPU seconds spent from the first click to the last answer stored."""
    waited: waits.Waits | None = None
    """What the database's connections waited on meanwhile (PostgreSQL)."""

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
    replicas: int,
    spread: float,
    bots: Sequence[int],
    helpers: Sequence[int] = (),
) -> Burst:
    """Click a score for ``users`` spread over ``spread`` seconds at ``url`` (served by
    ``replicas`` bot processes, their pids ``bots``; ``helpers``: the bench's own other
    processes, the proxy); wait for the answers, and measure (:class:`Burst`)."""
    builder = SlackRequestBuilder(signing_secret=SECRET, response_url_base=slack.hooks_url)
    messages = {
        user: copy.deepcopy(slack.workspace.messages_in(slack.workspace.dm_channel(user))[-1])
        for user in users
    }
    before = await _stored(database)
    statuses: dict[int, int] = {}
    connector = aiohttp.TCPConnector(limit=0)
    async with (
        aiohttp.ClientSession(connector=connector) as session,
        waits.sampled(database) as waited,
    ):
        loop = asyncio.get_running_loop()
        cpu_before = cpu.snapshot()
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
        seconds = loop.time() - began
        cpu_after = cpu.snapshot()
        spent = (
            None
            if cpu_before is None or cpu_after is None
            else cpu.split(
                cpu_before,
                cpu_after,
                bots=bots,
                database=str(make_url(database.url).database),
                helpers=helpers,
            )
        )
    return Burst(
        replicas=replicas,
        spread=spread,
        acks=acks,
        statuses=statuses,
        stored=stored,
        seconds=seconds,
        cpu=spent,
        waited=waited,
    )


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
        bots = [pid for replica in started if (pid := replica.pid) is not None]
        if replicas == 1:
            return await burst(
                slack,
                database,
                started[0].url,
                users,
                replicas=replicas,
                spread=spread,
                bots=bots,
            )
        async with round_robin([replica.origin for replica in started]) as proxy:
            return await burst(
                slack,
                database,
                f"{proxy.origin}/slack/events",
                users,
                replicas=replicas,
                spread=spread,
                bots=bots,
                helpers=[proxy.pid],
            )
    finally:
        await asyncio.gather(*(replica.stop() for replica in started))


def report(one: Burst, two: Burst, *, people: int, timed: bool = True) -> bool:
    """Print both bursts and the goals; True when every click was acked in time and every
    answer stored (the scaling goal is printed, met or MISSED, only when ``timed``)."""
    correct = True
    for figures in (one, two):
        where = "1 process" if figures.replicas == 1 else f"{figures.replicas} replicas + proxy"
        print(
            f"burst {where:<20} {len(figures.acks):,} clicks in {figures.spread:g} s: ack p50 "
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
        if figures.cpu is not None:
            print(_cpu_line(where, figures))
        if figures.waited is not None and figures.waited.samples:
            print(waits.line(where, figures.waited))
    ratio = two.throughput / one.throughput
    print(f"burst scaling   two replicas / one process {ratio:.2f}× (baseline: one process)")
    bound = ceiling(one, two)
    if bound is not None:
        print(
            f"burst ceiling   one bot process, one core at most at {bound.bot_ms:.1f} ms an"
            f" answer: {1000 / bound.bot_ms:.0f} answers/s; the bots, the database's"
            f" connections and this bench at {bound.ours_ms:.1f} ms an answer together:"
            f" {CORES} cores hold {CORES * 1000 / bound.ours_ms:.0f} answers/s; the burst sends"
            f" {bound.offered:.0f} clicks/s: two replicas can reach {bound.ratio:.2f}× one"
            " process on this machine (other work on it aside)"
        )
    if timed:
        met = ratio >= GOAL_SCALING
        print(f"{'met ' if met else 'MISSED'}  burst two replicas ≥ {GOAL_SCALING}× one process")
    return correct


@dataclass(frozen=True)
class Ceiling:
    """What the bursts' CPU per answer lets this machine store at most, a second."""

    bot_ms: float
    """One bot's CPU per answer, in the one-process burst."""
    ours_ms: float
    """The bots', the database's connections' and this bench's, in the two-replica one."""
    offered: float
    """Clicks a second the burst sends: no number of replicas stores answers faster."""
    one_process: float
    two_replicas: float

    @property
    def ratio(self) -> float:
        return self.two_replicas / self.one_process


def ceiling(one: Burst, two: Burst) -> Ceiling | None:
    """How far two replicas can scale here: a bot process runs on one core at most, the
    bots, the database's connections, the double, the clicks and the proxy together on
    the machine's cores, at what an answer cost each in its burst, and no replica stores
    answers faster than the burst's clicks come. None without the CPU figures."""
    if one.cpu is None or two.cpu is None or not one.cpu.bots or not two.cpu.bots:
        return None
    first, second = one.cpu.per(max(1, one.stored)), two.cpu.per(max(1, two.stored))
    ours = second.bots + second.database + second.bench
    offered = len(two.acks) / two.spread
    return Ceiling(
        bot_ms=first.bots * 1000,
        ours_ms=ours * 1000,
        offered=offered,
        one_process=min(1 / first.bots, offered),
        two_replicas=min(two.replicas / second.bots, CORES / ours, offered),
    )


def _cpu_line(where: str, figures: Burst) -> str:
    assert figures.cpu is not None
    spent, seconds = figures.cpu, figures.seconds
    per_answer = spent.per(max(1, figures.stored))
    return (
        f"burst cpu       {where}: per answer {per_answer.bots * 1000:.1f} ms in the bot"
        f"{'s' if figures.replicas > 1 else ''} ({spent.bots / seconds:.2f} of a core"
        f"{' together' if figures.replicas > 1 else ''}), {per_answer.database * 1000:.1f} ms"
        f" in the database's connections, {per_answer.bench * 1000:.1f} ms in this bench"
        f" (the Slack double, the clicks{', the proxy' if figures.replicas > 1 else ''}),"
        f" {per_answer.other * 1000:.1f} ms elsewhere; the machine busy"
        f" {spent.machine / seconds:.2f} of {CORES} cores"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.burst", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--people", type=int, default=2_000, help="clicks in each burst")
    parser.add_argument(
        "--spread",
        type=float,
        default=SPREAD_SECONDS,
        help="seconds the clicks are spread over (shorter: more than one process keeps up with)",
    )
    parser.add_argument("--quick", action="store_true", help="100 clicks, no scaling goal")
    args = parser.parse_args(argv)
    if args.spread <= 0:
        parser.error("--spread takes a number of seconds above 0")
    people = 100 if args.quick else args.people
    outcome = asyncio.run(run(people=people, spread=args.spread))
    if outcome is None:
        print("burst           skipped: no PostgreSQL server (set TEST_DATABASE_URL or install it)")
        return 0
    one, two = outcome
    return 0 if report(one, two, people=people, timed=not args.quick) else 1


if __name__ == "__main__":
    sys.exit(main())
