"""Store parsed CSV answers as anonymous answers of the console installation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.csv_rows import ImportedAnswer
from bot.usecases.tenants import tenant_of
from storage import surveys as survey_store
from storage.transfer import insert_answers

CONSOLE_PLATFORM = "console"
CONSOLE_TENANT = "local"
BATCH = 5000


async def import_answers(
    session: AsyncSession,
    *,
    answers: Sequence[ImportedAnswer],
    kind: str,
    subject: str,
    default_locale: str,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Store ``answers`` in the console tenant, creating surveys by name as needed
    (with ``kind`` and ``subject``) and the tenant, if it is new, with
    ``default_locale`` (the configured ``DEFAULT_LOCALE``). Returns answers stored per
    survey.

    Everything happens in the caller's transaction: if any batch fails, the caller's
    rollback leaves nothing stored. ``progress`` is told how many answers each batch
    wrote.
    """
    tenant = await tenant_of(
        session,
        platform=CONSOLE_PLATFORM,
        external_id=CONSOLE_TENANT,
        default_locale=default_locale,
        now=now,
    )
    survey_ids = {}
    for name in dict.fromkeys(answer.survey for answer in answers):
        survey = await survey_store.get_or_create_survey(
            session, tenant_id=tenant.id, name=name, kind=kind, subject=subject, now=now
        )
        survey_ids[name] = survey.id
    stored: dict[str, int] = {}
    for start in range(0, len(answers), BATCH):
        batch = answers[start : start + BATCH]
        await insert_answers(
            session,
            tenant_id=tenant.id,
            rows=[
                {
                    "survey_id": survey_ids[answer.survey],
                    "score": answer.score,
                    "reason": answer.reason,
                    "segments": answer.segments,
                    "answered_on": answer.answered_on,
                }
                for answer in batch
            ],
        )
        for answer in batch:
            stored[answer.survey] = stored.get(answer.survey, 0) + 1
        if progress is not None:
            progress(len(batch))
    return stored
