"""Answers written straight into storage, for alert and digest tests that need many."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from bot.runtime.services import Services
from storage import answers
from storage import waves as wave_store
from storage.models import Survey


async def seed_wave(
    services: Services, survey: Survey, *, opens: datetime, scores: Iterable[int]
) -> uuid.UUID:
    """A wave of ``survey`` opened at ``opens`` holding one answer per score."""
    async with services.database.transaction() as session:
        wave = await wave_store.open_wave(
            session,
            survey_id=survey.id,
            scheduled_for=opens,
            opens_at=opens,
            closes_at=opens + timedelta(days=14),
        )
        for score in scores:
            await answers.insert_response(
                session,
                tenant_id=survey.tenant_id,
                survey_id=survey.id,
                wave_id=wave.id,
                score=score,
                segments={},
                answered_on=opens.date(),
            )
        return wave.id


async def seed_answers(
    services: Services, survey: Survey, *, day: date, score: int, reason: str | None, count: int
) -> None:
    """``count`` answers of ``score`` (with ``reason``) answered on ``day``, outside waves."""
    async with services.database.transaction() as session:
        for _ in range(count):
            answer = await answers.insert_response(
                session,
                tenant_id=survey.tenant_id,
                survey_id=survey.id,
                wave_id=None,
                score=score,
                segments={},
                answered_on=day,
            )
            if reason is not None:
                await answers.set_reason(
                    session, tenant_id=survey.tenant_id, response_id=answer, reason=reason
                )


async def count_rows(services: Services, table: type) -> int:
    async with services.database.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())
