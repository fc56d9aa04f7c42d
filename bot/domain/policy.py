"""Who may be asked, and when: the frequency cap as pure functions.

The clock is never read here: callers pass ``today``. A person's history is the list of
dates on which they were asked this survey (answered or not), and the *hold* forget-me
left in place of the dates it deleted, if any (``not_before``, see :func:`hold_after_forgetting`).

Rules (defaults; each survey can set its own numbers), decided by :func:`may_ask`:
- a survey that is not active asks no one;
- never ask someone who opted out;
- at most ``max_asks`` asks in any rolling window of ``window_days`` days;
- at least ``min_gap_days`` days between two asks;
- forgetting the dates never lets anyone be asked sooner than the dates allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol


class CapSettings(Protocol):
    """The frequency-cap settings a survey row carries."""

    @property
    def cap_max_asks(self) -> int: ...

    @property
    def cap_window_days(self) -> int: ...

    @property
    def cap_min_gap_days(self) -> int: ...


@dataclass(frozen=True)
class FrequencyPolicy:
    """How often one person may be asked one survey."""

    max_asks: int = 2
    window_days: int = 365
    min_gap_days: int = 150

    def __post_init__(self) -> None:
        if self.max_asks < 1:
            raise ValueError("max_asks must be at least 1")
        if self.window_days < 1:
            raise ValueError("window_days must be at least 1")
        if self.min_gap_days < 0:
            raise ValueError("min_gap_days cannot be negative")

    @classmethod
    def of(cls, survey: CapSettings) -> FrequencyPolicy:
        """The cap a survey's own settings describe."""
        return cls(
            max_asks=survey.cap_max_asks,
            window_days=survey.cap_window_days,
            min_gap_days=survey.cap_min_gap_days,
        )


class Refusal(StrEnum):
    """Why a person may not be asked now."""

    INACTIVE = "inactive"
    OPTED_OUT = "opted_out"
    TOO_SOON = "too_soon"


@dataclass(frozen=True)
class Eligibility:
    """The verdict for one person on one day.

    ``next_date`` is the first day they may be asked again when refused as too soon,
    and ``None`` otherwise (eligible, opted out, or the survey is not active).
    """

    eligible: bool
    refusal: Refusal | None = None
    next_date: date | None = None


def held_asks(not_before: date | None, policy: FrequencyPolicy) -> list[date]:
    """The asks a hold stands for: ``max_asks - 1`` asks ``min_gap_days`` before ``not_before``.

    A hold is written only on or after the day the forgotten asks allowed the next one,
    so every forgotten ask was on or before ``not_before - min_gap_days``. Placing the
    ``max_asks - 1`` asks that can still share a window with a new one on that latest
    possible day is the most the forgotten history can have weighed; the cap computed
    with them is never looser than the one the real dates gave. And they alone allow the
    next ask exactly on ``not_before`` (fewer than ``max_asks`` asks, the gap ends then).
    """
    if not_before is None:
        return []
    return [not_before - timedelta(days=policy.min_gap_days)] * (policy.max_asks - 1)


def next_eligible_date(
    asked_on: Iterable[date], policy: FrequencyPolicy, *, not_before: date | None = None
) -> date | None:
    """First day on which a new ask satisfies ``policy``, or ``None`` with no history.

    The answer does not depend on today: it is the earliest day that is both
    ``min_gap_days`` after the latest ask and outside the window of the oldest ask
    that would otherwise make ``max_asks`` asks in one window, and not before the hold
    ``not_before`` (whose forgotten asks count as :func:`held_asks`).
    """
    history = sorted([*asked_on, *held_asks(not_before, policy)])
    if not history:
        return not_before
    earliest = history[-1] + timedelta(days=policy.min_gap_days)
    if len(history) >= policy.max_asks:
        # A new ask plus the latest (max_asks - 1) asks must not fit in one window.
        oldest_that_counts = history[-policy.max_asks]
        earliest = max(earliest, oldest_that_counts + timedelta(days=policy.window_days))
    if not_before is not None:
        earliest = max(earliest, not_before)
    return earliest


def hold_after_forgetting(
    asked_on: Iterable[date], policy: FrequencyPolicy, *, not_before: date | None, today: date
) -> date | None:
    """The hold to keep in place of a person's asks of one survey forgotten ``today``.

    ``asked_on`` and ``not_before`` are what is forgotten: the ask dates and the hold an
    earlier forget-me left, if any. The result is the only thing kept (``None``: nothing
    needs keeping): the first day they may be asked again, which the policy then reads
    through :func:`held_asks`, so forgetting never makes the cap looser.

    - Still too soon to ask: the day the forgotten history allowed, moved on to the
      Monday on or after it, so that the kept day does not give back the day of an ask
      (it is the ask plus the gap, most of the time); the person waits at most six
      days longer than they would have.
    - May be asked today, but a forgotten ask is still within a window or gap of days
      to come: today, a day that says nothing about any ask.
    - Every forgotten ask is beyond the reach of the window and the gap: ``None``.
    """
    forgotten = list(asked_on)
    earliest = next_eligible_date(forgotten, policy, not_before=not_before)
    if earliest is None:
        return None
    if earliest > today:
        return earliest + timedelta(days=-earliest.weekday() % 7)
    # The latest ask forgotten now, or the latest day an earlier hold stood for.
    if not_before is not None:
        forgotten.append(not_before - timedelta(days=policy.min_gap_days))
    reach = timedelta(days=max(policy.window_days, policy.min_gap_days))
    return today if max(forgotten) + reach > today else None


def hold_lapses_on(not_before: date, policy: FrequencyPolicy) -> date:
    """The first day from which the hold ``not_before`` changes no decision any more.

    From then on the day itself has passed, and the asks it stands for
    (:func:`held_asks`) are out of every window a new ask can share, so deleting the
    hold keeps every verdict the same; the daily retention job deletes it then.
    """
    if policy.max_asks == 1:
        return not_before
    held = not_before - timedelta(days=policy.min_gap_days)
    return max(not_before, held + timedelta(days=policy.window_days))


def may_ask(
    *,
    active: bool,
    opted_out: bool,
    asked_on: Iterable[date],
    not_before: date | None = None,
    policy: FrequencyPolicy,
    today: date,
) -> Eligibility:
    """May this person be asked this survey today? The one rule every way of asking
    (a person's ``/nps``, a score on a channel card, a manual send, a wave) follows.

    ``active`` says whether the survey is active; ``asked_on`` is every day the person
    was asked it, and ``not_before`` the hold forget-me left in place of older days.
    An inactive survey refuses first, then an opt-out, then the cap.
    """
    if not active:
        return Eligibility(eligible=False, refusal=Refusal.INACTIVE)
    return eligibility(
        asked_on=asked_on, not_before=not_before, opted_out=opted_out, policy=policy, today=today
    )


def eligibility(
    *,
    asked_on: Iterable[date],
    not_before: date | None = None,
    opted_out: bool,
    policy: FrequencyPolicy,
    today: date,
) -> Eligibility:
    """May this person be asked today, as far as opt-out and the cap go?"""
    if opted_out:
        return Eligibility(eligible=False, refusal=Refusal.OPTED_OUT)
    earliest = next_eligible_date(asked_on, policy, not_before=not_before)
    if earliest is None or today >= earliest:
        return Eligibility(eligible=True)
    return Eligibility(eligible=False, refusal=Refusal.TOO_SOON, next_date=earliest)


def asks_in_window(asked_on: Iterable[date], *, end: date, window_days: int) -> int:
    """How many asks fall in the window of ``window_days`` days ending on ``end``."""
    start = end - timedelta(days=window_days - 1)
    return sum(1 for day in asked_on if start <= day <= end)
