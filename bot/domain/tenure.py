"""Tenure bands and which label source wins when the engine merges them (pure).

A person's labels come from the people directory (an imported roster, keyed by the
respondent key) and from the platform (``Person.segments``: Slack user groups and profile
fields, Discord roles). :func:`labels_when_asked` merges them on the day of an ask; the
ask keeps the result, and the answer to that ask carries exactly that, so a
re-organisation after the ask moves no answer.

Precedence, for one label name given by several sources: the roster wins over the
platform (a roster is the file an HR team maintains on purpose; platform groups are
kept for other reasons), and the tenure band computed from the roster's start date wins
over a ``tenure`` label of any source.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

TENURE = "tenure"
"""The label name of the tenure band."""

TENURE_BANDS: tuple[tuple[int, str], ...] = ((1, "<1y"), (2, "1–2y"), (5, "2–5y"))
"""Upper bounds in full years of service (exclusive) and their band; beyond: ``5y+``."""
LONGEST_BAND = "5y+"


def full_years(started_on: date, today: date) -> int:
    """Whole years from ``started_on`` to ``today`` (an anniversary on Feb 29 falls on
    Mar 1 in other years); negative when ``started_on`` is later than ``today``."""
    years = today.year - started_on.year
    if (today.month, today.day) < (started_on.month, started_on.day):
        years -= 1
    return years


def tenure_band(started_on: date, today: date) -> str | None:
    """The band of someone who started on ``started_on``, on ``today``: ``<1y``,
    ``1–2y``, ``2–5y`` or ``5y+``; None for a start date still to come."""
    if started_on > today:
        return None
    years = full_years(started_on, today)
    for below, band in TENURE_BANDS:
        if years < below:
            return band
    return LONGEST_BAND


def labels_when_asked(
    *,
    platform: Mapping[str, str],
    roster: Mapping[str, str] | None,
    started_on: date | None,
    today: date,
) -> dict[str, str]:
    """The labels a person has on ``today``: the platform's, then the roster's over them,
    then the tenure band (from the roster's start date) over both."""
    merged = {name: value for name, value in platform.items() if value}
    merged.update({name: value for name, value in (roster or {}).items() if value})
    band = None if started_on is None else tenure_band(started_on, today)
    if band is not None:
        merged[TENURE] = band
    return merged
