"""Fan-out from several ``nps-bot run`` replicas on one PostgreSQL, under one rate limit.

``python -m bench.fanout --replicas 2``: the bench opens one wave of N people (2,000;
``--quick`` 100 under a higher limit) on a new PostgreSQL database, then starts that many
real ``nps-bot run`` processes in Slack HTTP mode against the Web API double. Their
scheduler ticks every second and delivers the due invitations; every replica takes its
start slots from the workspace's one pace in the database (``SLACK_MESSAGES_PER_SECOND``
set just under the double's limit with ``pace_under``). The double allows
``chat.postMessage`` ``calls`` times per sliding ``window`` seconds and answers HTTP 429
beyond it, counting each such call.

With ``--kill-one`` the first replica is killed (``SIGKILL``) once half the people have
their invitation, and started again: the invitations it held are left ``sending`` and
settled after the delivery lease (20 s here) by looking their nonce up in the DM.

Checked: every person has exactly one invitation DM (none duplicated, none lost), every
invitation is ``sent``, and no call went over the limit. Measured: the time from the first
post to the last, against the least the limit allows for N posts, ``(ceil(N / calls) - 1)
* window``; goal at most 1.15 times that (without a kill; with one, the restart and the
lease are part of the time and it is printed without a goal).
"""

from __future__ import annotations

import asyncio
import gc
import math
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func
from sqlmodel import col, select

from bench.processes import TOKEN, Replica, bot_environment, open_one_wave, postgres_database
from bot.ports.pacing import pace_under
from storage.database import Database
from storage.models import Invitation
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser

GOAL_RATIO = 1.15
LEASE_SECONDS = 20
"""The delivery lease: longer than an invitation claimed ahead waits in its replica's
queue (a replica claims about ``2 × CLAIM_AHEAD_SECONDS`` of sends at the whole pace, and
with two sharing the pace each sends at half of it), or another replica would take the
claim over as left behind and the person would get two invitations."""


@dataclass(frozen=True)
class Limit:
    calls: int
    window: float

    @property
    def per_second(self) -> float:
        return self.calls / self.window

    def minimum_seconds(self, posts: int) -> float:
        """The least time a sliding window of ``calls`` per ``window`` lets ``posts`` take."""
        return (math.ceil(posts / self.calls) - 1) * self.window


FULL_LIMIT = Limit(calls=100, window=2.0)
"""50 posts a second, counted over 2 s windows: the pace's 4 % headroom is then 80 ms a
window for the time between a slot and its call reaching the double (a start may begin up
to ``LATE_START_SECONDS`` late, then the request is built and sent on a busy machine),
while the best a paced sender can do stays within 1.1× the minimum."""
QUICK_LIMIT = Limit(calls=100, window=1.0)


@dataclass(frozen=True)
class ReplicaOutcome:
    people: int
    replicas: int
    killed: bool
    limit: Limit
    seconds: float
    messages_per_person: Counter[int]
    statuses: Counter[str]
    over_limit: int

    @property
    def minimum(self) -> float:
        return self.limit.minimum_seconds(self.people)

    @property
    def ratio(self) -> float:
        return self.seconds / self.minimum if self.minimum > 0 else math.inf

    @property
    def duplicates(self) -> int:
        return sum((count - 1) * n for count, n in self.messages_per_person.items() if count > 1)

    @property
    def lost(self) -> int:
        return self.messages_per_person.get(0, 0)


async def invitation_statuses(database: Database) -> Counter[str]:
    """The invitations by status, counted by the database: the bench asks five times a
    second, in the loop the double answers in, so reading every row would delay it."""
    status = col(Invitation.status)
    async with database.transaction() as session:
        rows = await session.execute(select(status, func.count()).group_by(status))
        return Counter({str(name): int(count) for name, count in rows})


async def run(*, people: int, replicas: int, limit: Limit, kill_one: bool) -> ReplicaOutcome | None:
    """The fan-out through ``replicas`` processes; None when no PostgreSQL can be had."""
    async with postgres_database() as url:
        if url is None:
            return None
        async with SlackApiDouble(token=TOKEN) as slack:
            users = [f"U{n:08d}" for n in range(people)]
            slack.workspace.add_user(
                *(SlackUser(id=user, name=user.lower(), tz="UTC") for user in users)
            )
            await open_one_wave(url, slack, people=people)
            slack.faults.rate_limit("chat.postMessage", calls=limit.calls, window=limit.window)
            environment = bot_environment(
                database_url=url,
                slack_url=slack.base_url,
                extra={
                    "SLACK_MESSAGES_PER_SECOND": f"{pace_under(limit.per_second):.3f}",
                    "SCHEDULER_TICK_SECONDS": "1",
                    "DELIVERY_LEASE_SECONDS": str(LEASE_SECONDS),
                },
            )
            database = Database(url)
            with tempfile.TemporaryDirectory(prefix="nps-replicas-") as workdir:
                started = [
                    Replica(environment, workdir=Path(workdir), name=f"replica-{n}")
                    for n in range(replicas)
                ]
                # The double stands for Slack's servers, which pause for no collection of
                # this process: a full collection of its records (a few hundred ms on a
                # busy machine) would hold every call arriving meanwhile and then stamp
                # them at once, counting the double's pause as the replicas' bunching.
                gc.freeze()
                gc.disable()
                try:
                    await asyncio.gather(*(replica.start() for replica in started))
                    await _deliver(slack, database, started, people=people, kill_one=kill_one)
                finally:
                    gc.enable()
                    gc.unfreeze()
                    await asyncio.gather(*(replica.stop() for replica in started))
                    statuses = await invitation_statuses(database)
                    await database.dispose()
            posts = [
                call.at
                for call in slack.calls("chat.postMessage")
                if call.status == 200 and call.error is None
            ]
            per_person = Counter(
                len(slack.workspace.messages_in(slack.workspace.dm_channel(user))) for user in users
            )
            return ReplicaOutcome(
                people=people,
                replicas=replicas,
                killed=kill_one,
                limit=limit,
                seconds=max(posts) - min(posts) if posts else math.inf,
                messages_per_person=per_person,
                statuses=statuses,
                over_limit=slack.faults.injected["ratelimited"],
            )


async def _deliver(
    slack: SlackApiDouble,
    database: Database,
    replicas: list[Replica],
    *,
    people: int,
    kill_one: bool,
) -> None:
    """Wait until every invitation is settled, killing and restarting one replica halfway
    when asked; gives up after several times the limit's minimum."""
    deadline = time.monotonic() + 120 + 5 * people / 10
    killed = not kill_one
    while time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        if not killed and len(slack.calls("chat.postMessage")) >= people // 2:
            replicas[0].kill()
            await replicas[0].wait()
            killed = True
            await replicas[0].start()
        statuses = await invitation_statuses(database)
        if killed and statuses.get("sent", 0) + statuses.get("failed", 0) >= people:
            return


def report(outcome: ReplicaOutcome, *, timed: bool = True) -> bool:
    """Print the figures and goals (the time's goal only when ``timed``, never with a
    kill); True when nobody got a duplicate or nothing, and no call went over the limit."""
    limit = outcome.limit
    kill = ", one killed halfway and restarted" if outcome.killed else ""
    print(
        f"replicas        {outcome.replicas} nps-bot processes on one PostgreSQL{kill}; "
        f"{outcome.people:,} invitations, limit {limit.calls} per {limit.window:g} s"
    )
    print(
        f"delivered in    {outcome.seconds:8.2f} s   limit's minimum {outcome.minimum:.2f} s"
        f"   ratio {outcome.ratio:.3f}"
    )
    print(
        f"duplicates {outcome.duplicates}   lost {outcome.lost}   "
        f"over the limit {outcome.over_limit}   invitations {dict(outcome.statuses)}"
    )
    exactly_once = outcome.duplicates == 0 and outcome.lost == 0
    all_sent = outcome.statuses == Counter({"sent": outcome.people})
    goals = [
        ("replicas: every person got exactly one invitation DM", exactly_once),
        ("replicas: every invitation sent", all_sent),
        ("replicas: no call over the limit", outcome.over_limit == 0),
    ]
    if timed and not outcome.killed:
        goals.append(
            (
                f"replicas: within {GOAL_RATIO:.2f}× the limit's minimum "
                f"(baseline: the limit's minimum)",
                outcome.ratio <= GOAL_RATIO,
            )
        )
    for goal, met in goals:
        print(f"{'met ' if met else 'MISSED'}  {goal}")
    return exactly_once and all_sent and outcome.over_limit == 0
