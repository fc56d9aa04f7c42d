"""The attacker against random data and random sequences of reports, digests and exports.

Answers arrive in random batches; between batches an admin asks for reports by team or
role, by month or quarter, digests of a few days, and exports. The attacker keeps every
figure released and knows the order answers arrived in (chat timestamps tell them), so
a report showing ``n`` answers overall covers the first ``n`` to arrive. With exact
rational arithmetic, written here independently of the gate, the test checks that no
set of fewer than k answers is a combination of what was released.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from bot.domain.csv_rows import ImportedAnswer
from bot.report.model import ReportRequest
from bot.runtime.services import build_services
from bot.runtime.settings import Settings
from bot.usecases.transfer.exporter import export_rows, plan_exports
from bot.usecases.transfer.importer import import_answers
from storage.answer_scope import DayRange
from storage.models import Tenant
from storage.surveys import find_survey_by_name
from tests.bot.stats.test_disclosure import in_span

K = 5
NOW = datetime(2026, 6, 1, tzinfo=UTC)
DAYS = [date(2026, 1, 12), date(2026, 2, 3), date(2026, 2, 20), date(2026, 4, 8)]


@dataclass(frozen=True)
class Answer:
    day: date
    team: str
    role: str
    score: int


answer = st.builds(
    Answer,
    day=st.sampled_from(DAYS),
    team=st.sampled_from(["a", "b"]),
    role=st.sampled_from(["x", "y", "z"]),
    score=st.integers(0, 10),
)
request = st.one_of(
    st.tuples(
        st.just("report"),
        st.sampled_from([None, "team", "role"]),
        st.sampled_from(["month", "quarter"]),
    ),
    st.tuples(st.just("digest"), st.sampled_from(DAYS), st.sampled_from(DAYS)),
    st.tuples(st.just("export"), st.none(), st.none()),
)
scenario = st.lists(
    st.tuples(st.lists(answer, min_size=1, max_size=8), st.lists(request, max_size=3)),
    min_size=1,
    max_size=5,
)


def period_of(day: date, kind: str) -> str:
    return f"{day:%Y-%m}" if kind == "month" else f"{day.year}-Q{(day.month + 2) // 3}"


async def play(
    steps: list[tuple[list[Answer], list[tuple[Any, Any, Any]]]], path: Path
) -> tuple[list[Answer], list[frozenset[int]]]:
    services = await build_services(
        Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{path}", nps_pepper="p" * 40),
        migrate=True,
    )
    arrived: list[Answer] = []
    released: list[frozenset[int]] = []
    try:
        for batch, requests in steps:
            imported = [
                ImportedAnswer(
                    survey="s",
                    answered_on=a.day,
                    score=a.score,
                    reason=None,
                    segments={"team": a.team, "role": a.role},
                )
                for a in batch
            ]
            async with services.database.transaction() as session:
                await import_answers(
                    session,
                    answers=imported,
                    kind="enps",
                    subject="us",
                    default_locale="en",
                    now=NOW,
                    create_surveys=True,
                )
            arrived += batch
            for what, first, second in requests:
                async with services.database.transaction() as session:
                    survey = await _survey(session)
                    if what == "export":
                        [plan] = await plan_exports(session, survey="s", raw=False)
                        exported = Counter(
                            [
                                (row.date, tuple(sorted(row.segments.items())))
                                async for row in export_rows(session, plan)
                            ]
                        )
                        assert all(n >= K for n in exported.values()), exported
                        continue
                    days = None
                    if what == "digest":
                        since, until = sorted((first, second))
                        days = DayRange(since=since, until=until)
                    by, kind = (first, second) if what == "report" else (None, "month")
                    report = await services.reports.survey_report(
                        session,
                        survey=survey,
                        request=ReportRequest(by=by, period=kind),
                        today=NOW.date(),
                        days=days,
                    )
                if report.figures is None:
                    continue
                window = [i for i, a in enumerate(arrived) if days is None or _within(a.day, days)]
                # The released answers are the first to arrive: find how many cover n.
                covered = _first_covering(arrived, window, report.n)
                released.append(frozenset(covered))
                for line in report.trend:
                    if line.figures is not None:
                        released.append(
                            frozenset(
                                i for i in covered if period_of(arrived[i].day, kind) == line.label
                            )
                        )
                for line in report.segments:
                    if line.figures is not None and by is not None:
                        released.append(
                            frozenset(i for i in covered if getattr(arrived[i], by) == line.label)
                        )
    finally:
        await services.database.dispose()
    return arrived, released


async def _survey(session: Any) -> Any:
    tenant = (await session.execute(select(Tenant))).scalars().one()
    return await find_survey_by_name(session, tenant_id=tenant.id, name="s")


def _within(day: date, days: DayRange) -> bool:
    """Whether ``day`` lies in a digest's window (both ends are set for a digest)."""
    return (days.since is None or days.since <= day) and (days.until is None or day < days.until)


def _first_covering(arrived: list[Answer], window: list[int], n: int) -> list[int]:
    """The window's answers among the earliest arrivals such that exactly ``n`` are in."""
    for cut in range(len(arrived) + 1):
        inside = [i for i in window if i < cut]
        if len(inside) == n:
            return inside
    raise AssertionError("a report counted answers that never arrived")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario)
def test_no_sequence_of_releases_isolates_fewer_than_k_answers(
    tmp_path_factory: Any, steps: list[tuple[list[Answer], list[tuple[Any, Any, Any]]]]
) -> None:
    path = tmp_path_factory.mktemp("seq") / "nps.db"
    arrived, released = asyncio.run(play(steps, path))
    # Answers alike in every released set are interchangeable for the attacker.
    signature = [tuple(i in s for s in released) for i in range(len(arrived))]
    classes: dict[tuple[bool, ...], list[int]] = {}
    for i, sig in enumerate(signature):
        if any(sig):
            classes.setdefault(sig, []).append(i)
    keys = list(classes)
    rows = [[int(sig[j]) for sig in keys] for j in range(len(released))]
    small = [c for c, key in enumerate(keys) if len(classes[key]) < K]
    for size in range(1, len(small) + 1):
        for chosen in itertools.combinations(small, size):
            if sum(len(classes[keys[c]]) for c in chosen) < K:
                target = [int(c in chosen) for c in range(len(keys))]
                assert not in_span(rows, target), (chosen, released)
