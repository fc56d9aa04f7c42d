"""Fan-out under Slack's rate limit and server errors: every invitation once, near the limit.

A wave of N people (2,000; ``--quick`` 200) is opened and delivered through the real
Slack adapter (``SlackPlatform`` over slack_sdk's ``AsyncWebClient`` with its retry
handlers) against the local Web API double, which allows ``chat.postMessage``
``LIMIT_CALLS`` times per sliding ``LIMIT_WINDOW`` seconds (HTTP 429 with Retry-After
beyond it) and answers 5 % of those calls with HTTP 503 *without posting them*. The
tenant's pace is set just under the limit with ``pace_under`` and shared by first
attempts and the SDK's retries, as the Slack adapter does.

A send answered 503 may have been posted (Slack can fail after carrying a call out), so
it stays ``sending`` and is looked up by its nonce once its lease is over, as the
scheduler's next runs would: here the clock moves past the lease and the delivery runs
again at once (``SETTLING_RUNS`` at most), the time of those runs counted.

Checked: every person has exactly one invitation DM, and every invitation is ``sent``
(none failed, none left pending). Measured: the delivery time, against the minimum the
limit allows for the calls that must be made, ``(ceil(calls / LIMIT_CALLS) - 1) *
LIMIT_WINDOW`` (the first window's calls at once, then one window per ``LIMIT_CALLS``),
where ``calls`` is N plus one per injected server error: the double counts a call it
fails against the limit, as the failed call did reach it, so no sender can deliver N
messages with fewer. Goal: at most 1.15 times that minimum. The ratio to the minimum
for N calls alone (as if no call failed) is printed beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from adapters.slack.client import build_client
from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform
from bench import replicas as replicas_bench
from bot.ports.pacing import LocalPace, pace_under
from bot.ports.reach import Reach
from bot.runtime.services import build_services
from bot.runtime.settings import Settings
from bot.usecases.survey_settings import SurveySpec
from bot.usecases.surveys import create_survey
from bot.usecases.waves.delivery import deliver_due
from bot.usecases.waves.opening import open_wave
from storage.invitations import SENDING
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser
from tests.support.clock import Clock

LIMIT_CALLS = 10
LIMIT_WINDOW = 0.2
SERVER_ERROR_FRACTION = 0.05
GOAL_RATIO = 1.15
SETTLING_RUNS = 3
"""Delivery runs after the first, each past the lease of the sends left unsettled."""
CONCURRENCY = 16
"""Sends in flight: the pace here is many times a real workspace's, so more are needed to
keep a start slot always taken while some calls wait out a retry."""
TOKEN = "xoxb-bench-fanout"
BENCH_PEPPER = "bench-pepper-" + "f" * 40
# Tuesday 10:30 UTC: everyone (in UTC) is in working hours, so every invitation is due.
NOW = datetime(2026, 3, 10, 10, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Outcome:
    people: int
    seconds: float
    messages_per_person: Counter[int]
    statuses: Counter[str]
    rate_limited: int
    server_errors: int

    @property
    def minimum(self) -> float:
        """The least time the limit allows for every post and every retry it needed."""
        return minimum_seconds(self.people + self.server_errors)

    @property
    def ratio(self) -> float:
        return self.seconds / self.minimum


def minimum_seconds(calls: int) -> float:
    """The least time the double's sliding-window limit lets ``calls`` calls take."""
    return (math.ceil(calls / LIMIT_CALLS) - 1) * LIMIT_WINDOW


async def run(*, people: int) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="nps-fanout-") as directory:
        url = f"sqlite+aiosqlite:///{Path(directory) / 'fanout.db'}"
        settings = Settings(_env_file=None, database_url=url, nps_pepper=BENCH_PEPPER)
        clock = Clock(NOW)
        services = await build_services(settings, migrate=True, clock=clock)
        try:
            async with SlackApiDouble(token=TOKEN) as slack:
                users = [f"U{n:08d}" for n in range(people)]
                slack.workspace.add_user(
                    *(SlackUser(id=user, name=user.lower(), tz="UTC") for user in users)
                )
                pace = LocalPace(pace_under(LIMIT_CALLS / LIMIT_WINDOW))
                client = build_client(token=TOKEN, base_url=slack.base_url, pace=pace)
                platform = SlackPlatform(client, people=SlackPeople(client, admin_ids=[]))
                reach = Reach(
                    platform=platform,
                    tenant=slack.workspace.team_id,
                    per_second=pace.per_second,
                    pace=pace,
                    concurrency=CONCURRENCY,
                )
                deps = services.waves
                survey = await create_survey(
                    services.database,
                    platform="slack",
                    tenant=reach.tenant,
                    spec=SurveySpec(name="fanout"),
                    now=NOW,
                    default_locale="en",
                )
                opened = await open_wave(deps, reach, survey_id=survey.id, scheduled_for=NOW)
                assert opened is not None and opened.invited == people

                slack.faults.rate_limit("chat.postMessage", calls=LIMIT_CALLS, window=LIMIT_WINDOW)
                slack.faults.server_errors(
                    fraction=SERVER_ERROR_FRACTION, methods=["chat.postMessage"]
                )
                # Each unconfirmed send logs a warning for the operator; here they are
                # the faults injected, counted in the output instead of logged one by one.
                delivery_log = logging.getLogger(deliver_due.__module__)
                level = delivery_log.level
                delivery_log.setLevel(logging.ERROR)
                start = time.perf_counter()
                try:
                    await deliver_due(deps, reach)
                    # Sends that may have been posted are settled past their lease (see
                    # the module's docstring).
                    for _ in range(SETTLING_RUNS):
                        statuses = await replicas_bench.invitation_statuses(services.database)
                        if not statuses[SENDING]:
                            break
                        clock.now += deps.claim_lease + timedelta(seconds=1)
                        await deliver_due(deps, reach)
                finally:
                    delivery_log.setLevel(level)
                seconds = time.perf_counter() - start

                per_person = Counter(
                    len(slack.workspace.messages_in(slack.workspace.dm_channel(user)))
                    for user in users
                )
                statuses = await replicas_bench.invitation_statuses(services.database)
                return Outcome(
                    people=people,
                    seconds=seconds,
                    messages_per_person=per_person,
                    statuses=statuses,
                    rate_limited=slack.faults.injected["ratelimited"],
                    server_errors=slack.faults.injected["service_unavailable"],
                )
        finally:
            await services.database.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fanout", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--people", type=int, default=2_000, help="invitations to deliver")
    parser.add_argument("--quick", action="store_true", help="200 invitations (100 with replicas)")
    parser.add_argument(
        "--replicas",
        type=int,
        default=0,
        help="deliver through this many nps-bot processes on one PostgreSQL (bench.replicas)",
    )
    parser.add_argument(
        "--kill-one", action="store_true", help="with --replicas: SIGKILL one halfway, restart it"
    )
    args = parser.parse_args(argv)
    if args.replicas or args.kill_one:
        return replicas_main(
            people=100 if args.quick else args.people,
            replicas=max(args.replicas, 2 if args.kill_one else 1),
            quick=args.quick,
            kill_one=args.kill_one,
        )
    people = 200 if args.quick else args.people
    outcome = asyncio.run(run(people=people))

    limit = LIMIT_CALLS / LIMIT_WINDOW
    print(
        f"fan-out         {people:,} invitations, limit {limit:.0f} messages/s "
        f"({LIMIT_CALLS} per {LIMIT_WINDOW:g} s window), "
        f"{SERVER_ERROR_FRACTION:.0%} server errors"
    )
    print(
        f"faults          {outcome.server_errors} server errors, "
        f"{outcome.rate_limited} rate-limited answers"
    )
    no_faults = minimum_seconds(people)
    print(f"delivered in    {outcome.seconds:8.2f} s")
    print(
        f"limit's minimum {outcome.minimum:8.2f} s   "
        f"({people + outcome.server_errors:,} calls: every post and every retry it needed)"
    )
    print(f"ratio           {outcome.ratio:8.3f}")
    print(
        f"without faults  {no_faults:8.2f} s   ({people:,} calls; "
        f"ratio {outcome.seconds / no_faults:.3f})"
    )
    exactly_once = outcome.messages_per_person == Counter({1: people})
    all_sent = outcome.statuses == Counter({"sent": people})
    goals = [
        ("every person got exactly one invitation DM", exactly_once),
        ("every invitation sent, none failed or left pending", all_sent),
        (f"within {GOAL_RATIO - 1:.0%} of the limit's minimum", outcome.ratio <= GOAL_RATIO),
    ]
    for goal, met in goals:
        print(f"{'met ' if met else 'MISSED'}  {goal}")
    if not (exactly_once and all_sent):
        print(
            f"error: messages per person {dict(outcome.messages_per_person)}, "
            f"invitations {dict(outcome.statuses)}"
        )
        return 1
    return 0


def replicas_main(*, people: int, replicas: int, quick: bool, kill_one: bool) -> int:
    """The fan-out through real replicas (:mod:`bench.replicas`); 1 on a duplicate or a loss."""
    limit = replicas_bench.QUICK_LIMIT if quick else replicas_bench.FULL_LIMIT
    outcome = asyncio.run(
        replicas_bench.run(people=people, replicas=replicas, limit=limit, kill_one=kill_one)
    )
    if outcome is None:
        print("replicas        skipped: no PostgreSQL server (set TEST_DATABASE_URL or install it)")
        return 0
    return 0 if replicas_bench.report(outcome, timed=not quick) else 1


if __name__ == "__main__":
    sys.exit(main())
