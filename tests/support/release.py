"""Releasing stored answers in storage tests, as the disclosure gate would."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from storage import disclosure, mixing
from storage.models import Survey


async def release_waiting(session: AsyncSession, *, survey_id: uuid.UUID) -> int:
    """Put every waiting answer of the survey into a new release step; that step."""
    survey = await session.get(Survey, survey_id)
    assert survey is not None
    state = await disclosure.lock_release(session, survey_id=survey_id, k=1)
    await disclosure.cut_step(session, state=state, pool=mixing.Pool.of(survey))
    return state.step
