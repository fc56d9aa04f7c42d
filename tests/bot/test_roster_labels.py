"""Tenure bands and the precedence of label sources (pure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.tenure import labels_when_asked, tenure_band

DAY = date(2026, 3, 10)


def anniversary(started: date, years: int) -> date:
    """The day ``years`` full years after ``started`` (Feb 29 falls on Mar 1)."""
    try:
        return started.replace(year=started.year + years)
    except ValueError:
        return date(started.year + years, 3, 1)


def band_by_anniversaries(started: date, today: date) -> str | None:
    """An independent reading: the last anniversary reached names the band."""
    if today < started:
        return None
    if today < anniversary(started, 1):
        return "<1y"
    if today < anniversary(started, 2):
        return "1–2y"
    if today < anniversary(started, 5):
        return "2–5y"
    return "5y+"


days = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))


@given(started=days, today=days)
def test_the_band_is_the_one_of_the_last_anniversary_reached(started: date, today: date) -> None:
    assert tenure_band(started, today) == band_by_anniversaries(started, today)


@given(started=days, today=days, later=st.integers(min_value=0, max_value=4000))
def test_a_band_never_goes_back_as_time_passes(started: date, today: date, later: int) -> None:
    order = [None, "<1y", "1–2y", "2–5y", "5y+"]
    after = today + timedelta(days=later)
    assert order.index(tenure_band(started, after)) >= order.index(tenure_band(started, today))


@pytest.mark.parametrize(
    ("started", "today", "band"),
    [
        (date(2025, 3, 11), DAY, "<1y"),  # one day short of a year
        (date(2025, 3, 10), DAY, "1–2y"),  # the first anniversary itself
        (date(2024, 3, 11), DAY, "1–2y"),
        (date(2024, 3, 10), DAY, "2–5y"),
        (date(2021, 3, 11), DAY, "2–5y"),
        (date(2021, 3, 10), DAY, "5y+"),
        (date(2024, 2, 29), date(2025, 2, 28), "<1y"),  # a leap day's anniversary is Mar 1
        (date(2024, 2, 29), date(2025, 3, 1), "1–2y"),
        (DAY, DAY, "<1y"),  # the first day
        (DAY + timedelta(days=1), DAY, None),  # not started yet: no band at all
    ],
)
def test_tenure_bands_at_their_edges(started: date, today: date, band: str | None) -> None:
    assert tenure_band(started, today) == band


@pytest.mark.parametrize(
    ("platform", "roster", "started", "expected"),
    [
        # Only one source: its labels.
        ({"team": "eng"}, None, None, {"team": "eng"}),
        ({}, {"team": "eng"}, None, {"team": "eng"}),
        # Both name the label: the roster wins.
        ({"team": "slack-group"}, {"team": "eng"}, None, {"team": "eng"}),
        # Different labels: both kept.
        ({"role": "dev"}, {"team": "eng"}, None, {"role": "dev", "team": "eng"}),
        # The band from the roster's start date wins over any "tenure" label.
        ({"tenure": "old"}, {"tenure": "10y"}, date(2025, 6, 1), {"tenure": "<1y"}),
        # A start date to come adds no band and leaves the others' tenure as it is.
        ({"tenure": "old"}, {}, date(2027, 1, 1), {"tenure": "old"}),
        # An empty value from a source is no label: the other source's stays.
        ({"team": "eng"}, {"team": ""}, None, {"team": "eng"}),
        ({}, {}, None, {}),
    ],
)
def test_which_source_wins(
    platform: dict[str, str],
    roster: dict[str, str] | None,
    started: date | None,
    expected: dict[str, str],
) -> None:
    labels = labels_when_asked(platform=platform, roster=roster, started_on=started, today=DAY)
    assert labels == expected
