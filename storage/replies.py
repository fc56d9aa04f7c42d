"""Reply threads: an admin's replies to an anonymous answer and the answers back.

A thread is keyed to the answer (one per answer) and a message to its thread; nothing
here takes or returns anything about a person. Which answer a request may reach is
decided by the caller: a comment handle an admin was shown, or a sealed token only the
person who answered holds. Nothing here commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import ReleaseState, ReplyMessage, ReplyNotice, ReplyThread, Survey
from storage.sql import rowcount


class Author(StrEnum):
    """Whose side wrote a message: never who."""

    ADMIN = "admin"
    RESPONDENT = "respondent"


@dataclass(frozen=True)
class Message:
    """One message as stored, in thread order."""

    author: Author
    text: str
    announced: bool


@dataclass(frozen=True)
class Thread:
    """A thread with its messages in order."""

    answer_id: uuid.UUID
    survey_id: uuid.UUID
    closed: bool
    messages: tuple[Message, ...]


class Added(StrEnum):
    """What :func:`add_message` did."""

    ADDED = "added"
    CLOSED = "closed"
    """The thread is closed: nothing was stored."""
    NO_THREAD = "no_thread"
    """A respondent wrote to an answer without a thread: nothing was stored."""


async def thread_of(
    session: AsyncSession, *, tenant_id: uuid.UUID, answer_id: uuid.UUID
) -> Thread | None:
    """The answer's thread in this tenant with its messages, or None."""
    found = (
        await session.execute(
            select(ReplyThread).where(
                col(ReplyThread.answer_id) == answer_id, col(ReplyThread.tenant_id) == tenant_id
            )
        )
    ).scalar_one_or_none()
    if found is None:
        return None
    rows = await session.execute(
        select(col(ReplyMessage.author), col(ReplyMessage.text), col(ReplyMessage.announced))
        .where(col(ReplyMessage.thread_id) == found.id)
        .order_by(col(ReplyMessage.position))
    )
    return Thread(
        answer_id=found.answer_id,
        survey_id=found.survey_id,
        closed=found.closed,
        messages=tuple(Message(Author(a), str(text), bool(seen)) for a, text, seen in rows.all()),
    )


async def threads_of_survey(session: AsyncSession, *, survey_id: uuid.UUID) -> tuple[Thread, ...]:
    """Every thread of a survey, ordered by the answers' random ids (so the order says
    nothing about when a thread started)."""
    ids = await session.execute(
        select(col(ReplyThread.answer_id), col(ReplyThread.tenant_id))
        .where(col(ReplyThread.survey_id) == survey_id)
        .order_by(col(ReplyThread.answer_id))
    )
    threads = []
    for answer_id, tenant_id in ids.all():
        thread = await thread_of(session, tenant_id=tenant_id, answer_id=answer_id)
        if thread is not None:
            threads.append(thread)
    return tuple(threads)


async def add_message(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    survey_id: uuid.UUID,
    answer_id: uuid.UUID,
    author: Author,
    text: str,
    today: date,
) -> Added:
    """Append ``text`` to the answer's thread; an admin's first reply opens the thread
    (dated ``today``), a respondent can only answer a thread that exists.

    Two writers racing for one position are told apart by the unique (thread,
    position): the loser's transaction fails and stores nothing.
    """
    found = (
        await session.execute(
            select(col(ReplyThread.id), col(ReplyThread.closed)).where(
                col(ReplyThread.answer_id) == answer_id, col(ReplyThread.tenant_id) == tenant_id
            )
        )
    ).first()
    if found is None:
        if author is Author.RESPONDENT:
            return Added.NO_THREAD
        thread = ReplyThread(
            tenant_id=tenant_id, survey_id=survey_id, answer_id=answer_id, opened_on=today
        )
        session.add(thread)
        await session.flush()
        thread_id = thread.id
    elif found[1]:
        return Added.CLOSED
    else:
        thread_id = found[0]
    last = (
        await session.execute(
            select(func.max(col(ReplyMessage.position))).where(
                col(ReplyMessage.thread_id) == thread_id
            )
        )
    ).scalar_one()
    session.add(
        ReplyMessage(thread_id=thread_id, position=(last or 0) + 1, author=author, text=text)
    )
    await session.flush()
    return Added.ADDED


async def close_thread(
    session: AsyncSession, *, tenant_id: uuid.UUID, answer_id: uuid.UUID
) -> bool:
    """Close the answer's thread; False when there is none (closing twice is fine)."""
    statement = (
        update(ReplyThread)
        .where(col(ReplyThread.answer_id) == answer_id, col(ReplyThread.tenant_id) == tenant_id)
        .values(closed=True)
    )
    return await rowcount(session, statement) > 0


async def surveys_with_news(
    session: AsyncSession, *, tenant_id: uuid.UUID
) -> tuple[uuid.UUID, ...]:
    """The tenant's surveys that have messages the periodic notice has not covered yet."""
    query = (
        select(col(ReplyThread.survey_id))
        .join(ReplyMessage, col(ReplyMessage.thread_id) == col(ReplyThread.id))
        .where(col(ReplyThread.tenant_id) == tenant_id, col(ReplyMessage.announced).is_(False))
        .distinct()
        .order_by(col(ReplyThread.survey_id))
    )
    return tuple((await session.execute(query)).scalars().all())


async def mark_announced(session: AsyncSession, *, survey_id: uuid.UUID) -> int:
    """Mark every unannounced message of the survey announced; returns how many. A
    compare-and-set: of replicas running the same notice at once, one sees a count."""
    threads = select(col(ReplyThread.id)).where(col(ReplyThread.survey_id) == survey_id)
    statement = (
        update(ReplyMessage)
        .where(col(ReplyMessage.thread_id).in_(threads), col(ReplyMessage.announced).is_(False))
        .values(announced=True)
    )
    return await rowcount(session, statement)


async def record_notice(session: AsyncSession, *, survey_id: uuid.UUID, today: date) -> None:
    """Remember that the periodic notice announced the survey's new replies ``today``."""
    notice = await session.get(ReplyNotice, survey_id)
    if notice is None:
        session.add(ReplyNotice(survey_id=survey_id, noticed_on=today))
    else:
        notice.noticed_on = today
    await session.flush()


async def noticed_surveys(
    session: AsyncSession, *, tenant_id: uuid.UUID, since: date
) -> tuple[str, ...]:
    """The names of the tenant's surveys whose new replies were announced on ``since``
    or later, by name."""
    query = (
        select(col(Survey.name))
        .join(ReplyNotice, col(ReplyNotice.survey_id) == col(Survey.id))
        .where(col(Survey.tenant_id) == tenant_id, col(ReplyNotice.noticed_on) >= since)
        .order_by(col(Survey.name))
    )
    return tuple((await session.execute(query)).scalars().all())


async def released_text_step(session: AsyncSession, *, survey_id: uuid.UUID) -> int:
    """The release step the survey's texts were last drawn from (0: none released)."""
    state = await session.get(ReleaseState, survey_id)
    return 0 if state is None else state.text_step
