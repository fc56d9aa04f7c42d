"""Store parsed CSV answers as anonymous answers of one tenant's surveys.

The target is the console installation unless a platform and tenant are named, so
history from a previous tool lands in the Slack or Discord survey it belongs to. A
survey the file names must exist in that tenant: only the default survey, which every
conversation would create, is created when missing (or every name, when the caller
asks for it), so a mistyped name is refused instead of becoming a new survey.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.csv_rows import ImportedAnswer
from bot.domain.surveys import DEFAULT_SURVEY
from bot.usecases.tenants import tenant_of
from storage import surveys as survey_store
from storage import tenants as tenant_store
from storage.transfer import insert_answers

CONSOLE_PLATFORM = "console"
CONSOLE_TENANT = "local"
BATCH = 5000


class ImportTargetMissing(LookupError):
    """The tenant, or surveys the file names, do not exist (``surveys``: their names)."""

    def __init__(self, message: str, *, surveys: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.surveys = tuple(surveys)


async def import_answers(
    session: AsyncSession,
    *,
    answers: Sequence[ImportedAnswer],
    kind: str,
    subject: str,
    default_locale: str,
    now: datetime,
    progress: Callable[[int], None] | None = None,
    platform: str = CONSOLE_PLATFORM,
    tenant: str = CONSOLE_TENANT,
    create_surveys: bool = False,
) -> dict[str, int]:
    """Store ``answers`` in the surveys they name of ``platform``/``tenant``; return the
    answers stored per survey.

    The console tenant is created, if it is new, with ``default_locale``; any other
    tenant must exist. Surveys must exist but for the default one (created with
    ``kind`` and ``subject``), unless ``create_surveys``. Raise
    :class:`ImportTargetMissing` naming what is missing, having stored nothing.

    Everything happens in the caller's transaction: if any batch fails, the caller's
    rollback leaves nothing stored. ``progress`` is told how many answers each batch
    wrote.
    """
    if platform == CONSOLE_PLATFORM:
        owner = await tenant_of(
            session, platform=platform, external_id=tenant, default_locale=default_locale, now=now
        )
    else:
        found = await tenant_store.find_tenant(session, platform=platform, external_id=tenant)
        if found is None:
            raise ImportTargetMissing(f"no tenant {tenant!r} on platform {platform!r}")
        owner = found
    names = list(dict.fromkeys(answer.survey for answer in answers))
    survey_ids = {}
    missing = []
    for name in names:
        existing = await survey_store.find_survey_by_name(session, tenant_id=owner.id, name=name)
        if existing is not None:
            survey_ids[name] = existing.id
        elif create_surveys or name == DEFAULT_SURVEY:
            created = await survey_store.get_or_create_survey(
                session, tenant_id=owner.id, name=name, kind=kind, subject=subject, now=now
            )
            survey_ids[name] = created.id
        else:
            missing.append(name)
    if missing:
        raise ImportTargetMissing(
            f"no survey {', '.join(map(repr, missing))} on {platform} {tenant!r}",
            surveys=missing,
        )
    stored: dict[str, int] = {}
    for start in range(0, len(answers), BATCH):
        batch = answers[start : start + BATCH]
        await insert_answers(
            session,
            tenant_id=owner.id,
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
