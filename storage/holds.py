"""Keyword-only data access for forget-me holds (the ``ask_hold`` table) beyond the
answer's path: deleting the holds that no longer weigh in any cap.

Holds are written by :func:`storage.deletion.forget_person` and read with the person's
asks by :func:`storage.asks.ask_state`. Each function runs inside the caller's session
and transaction; none commits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import AskHold, Survey
from storage.sql import rowcount

LapseRule = Callable[[Survey, date], date]
"""Given a survey (for its cap) and a hold's day, the first day the hold changes nothing."""


async def delete_lapsed_holds(session: AsyncSession, *, today: date, lapses_on: LapseRule) -> int:
    """Delete every hold that ``lapses_on`` says has lapsed by ``today``; returns how many.

    Only holds whose day has come are read, since no hold lapses before its own day.
    """
    due = await session.execute(
        select(col(AskHold.survey_id), col(AskHold.respondent_key), col(AskHold.not_before), Survey)
        .join(Survey, col(Survey.id) == col(AskHold.survey_id))
        .where(col(AskHold.not_before) <= today)
    )
    lapsed = [
        (survey_id, key)
        for survey_id, key, not_before, survey in due.all()
        if lapses_on(survey, not_before) <= today
    ]
    if not lapsed:
        return 0
    key = tuple_(col(AskHold.survey_id), col(AskHold.respondent_key))
    return await rowcount(session, delete(AskHold).where(key.in_(lapsed)))
