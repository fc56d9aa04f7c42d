"""Driver ratings after the reason: the prompt, and the rules of storing a rating.

The engine decides *whose* answer a rating is for (the sealed reason token); this module
decides what a valid rating is and shows the driver questions with the ratings chosen
so far. Ratings are stored against the anonymous answer only (:mod:`storage.ratings`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.drivers import RATINGS, DriverQuestion, drivers_from_json
from bot.domain.inputs import typed_whole_number
from bot.i18n import Translator
from bot.views.common import DriverChoice, DriverPrompt, Notice, Tone
from storage import ratings


def parse_rating(value: object) -> int | None:
    """A whole number 1..5 (an int, or text such as ``" 4 "``, ``４`` or ``4点``); None
    for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number: int | None = value
    elif isinstance(value, str):
        number = typed_whole_number(value)
    else:
        return None
    return number if number in RATINGS else None


def driver_prompt(
    t: Translator,
    questions: Sequence[DriverQuestion],
    chosen: Mapping[str, int],
    *,
    token: str,
    recorded: str,
) -> DriverPrompt:
    """The driver questions in the survey's order, with this answer's ratings so far."""
    return DriverPrompt(
        recorded=recorded,
        intro=t("drivers.intro"),
        low_label=t("drivers.low"),
        high_label=t("drivers.high"),
        input_hint=t("drivers.input_hint"),
        finished=t("drivers.finished"),
        drivers=tuple(
            DriverChoice(key=q.key, label=q.label, chosen=chosen.get(q.key)) for q in questions
        ),
        token=token,
        scale=RATINGS,
    )


async def follow_up(
    session: AsyncSession,
    t: Translator,
    *,
    tenant_id: uuid.UUID,
    response_id: uuid.UUID,
    token: str,
    recorded: str,
) -> DriverPrompt | None:
    """The driver questions to show after the reason, or None when the answer's survey
    asks none (or the answer is gone)."""
    questions = await _questions(session, tenant_id=tenant_id, response_id=response_id)
    if not questions:
        return None
    chosen = await ratings.ratings_of(session, response_id=response_id)
    return driver_prompt(t, questions, chosen, token=token, recorded=recorded)


async def rate(
    session: AsyncSession,
    t: Translator,
    *,
    tenant_id: uuid.UUID,
    response_id: uuid.UUID,
    token: str,
    driver: str | int,
    rating: int,
) -> DriverPrompt | Notice:
    """Store ``rating`` (already 1..5) for ``driver`` of the answer and show the
    questions again with it chosen.

    ``driver`` is a driver's key, or its position in the survey's list (what a Discord
    button id has room for). A driver the survey does not ask is refused and nothing
    is stored.
    """
    questions = await _questions(session, tenant_id=tenant_id, response_id=response_id)
    if questions is None:
        return Notice(t("drivers.expired"), Tone.ERROR)
    question = _find(questions, driver)
    if question is None:
        return Notice(t("drivers.unknown"), Tone.ERROR)
    await ratings.set_rating(session, response_id=response_id, driver=question.key, rating=rating)
    chosen = await ratings.ratings_of(session, response_id=response_id)
    saved = t("drivers.saved", driver=question.label, rating=rating)
    return driver_prompt(t, questions, chosen, token=token, recorded=saved)


async def _questions(
    session: AsyncSession, *, tenant_id: uuid.UUID, response_id: uuid.UUID
) -> tuple[DriverQuestion, ...] | None:
    stored = await ratings.answer_drivers(session, tenant_id=tenant_id, response_id=response_id)
    return None if stored is None else drivers_from_json(stored)


def _find(questions: Sequence[DriverQuestion], driver: str | int) -> DriverQuestion | None:
    if isinstance(driver, int):
        return questions[driver] if 0 <= driver < len(questions) else None
    return next((q for q in questions if q.key == driver), None)
