"""The daily retention job: reasons older than the retention period are cleared.

Scores stay (they were anonymous all along); only the free text people wrote goes.
Safe to run on every replica at once: clearing a cleared reason changes nothing.
"""

from __future__ import annotations

from datetime import date

from bot.usecases.context import WaveDeps
from storage import answers


async def expire_reasons(deps: WaveDeps, *, months: int) -> int:
    """Clear the reasons of answers given more than ``months`` months ago; returns how
    many were cleared."""
    cutoff = months_before(deps.clock().date(), months)
    async with deps.database.transaction() as session:
        return await answers.expire_reasons(session, answered_before=cutoff)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier (clamped to the month's last day)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for candidate in range(day.day, 27, -1):
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    return date(year, month + 1, min(day.day, 28))
