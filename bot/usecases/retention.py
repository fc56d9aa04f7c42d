"""The daily retention job: reasons older than the retention period are cleared, and
forget-me holds that no longer weigh in any cap are deleted.

Scores stay (they were anonymous all along); only the free text people wrote goes. A
hold goes once no verdict depends on it any more (:func:`~bot.domain.policy.hold_lapses_on`),
so what forget-me kept of a person does not outlive its one use. Safe to run on every
replica at once: clearing a cleared reason or deleting a deleted hold changes nothing.
"""

from __future__ import annotations

from datetime import date

from bot.domain.policy import FrequencyPolicy, hold_lapses_on
from bot.usecases.context import WaveDeps
from storage import answers, holds
from storage.models import Survey


async def expire_reasons(deps: WaveDeps, *, months: int) -> int:
    """Clear the reasons of answers given more than ``months`` months ago; returns how
    many were cleared."""
    cutoff = months_before(deps.clock().date(), months)
    async with deps.database.transaction() as session:
        return await answers.expire_reasons(session, answered_before=cutoff)


async def forget_lapsed_holds(deps: WaveDeps) -> int:
    """Delete the forget-me holds that change no decision from today on; returns how many."""

    def lapses_on(survey: Survey, not_before: date) -> date:
        return hold_lapses_on(not_before, FrequencyPolicy.of(survey))

    async with deps.database.transaction() as session:
        return await holds.delete_lapsed_holds(
            session, today=deps.clock().date(), lapses_on=lapses_on
        )


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
