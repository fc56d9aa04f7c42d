"""A survey whose quoted comments can be replied to: people who answered through the
engine (so each holds their reason token) and a report that released their reasons."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlmodel import col

from bot.domain.people import Person
from bot.domain.surveys import DEFAULT_SURVEY
from bot.report.model import ReportRequest, SurveyReport
from bot.runtime.services import Services
from bot.views.common import ReasonPrompt, ScorePrompt
from storage.models import Survey

CHANNEL = "C-SURVEY"


@dataclass(frozen=True)
class Writer:
    """Someone who answered with a reason, and the reason token they hold."""

    person: Person
    reason: str
    token: str


async def answer(services: Services, person: Person, *, score: int, reason: str) -> Writer:
    prompt = await services.engine.start(person)
    assert isinstance(prompt, ScorePrompt), prompt
    asked = await services.engine.record_score(person, survey_id=prompt.survey_id, score=score)
    assert isinstance(asked, ReasonPrompt), asked
    await services.engine.record_reason(person, token=asked.token, reason=reason)
    return Writer(person=person, reason=reason, token=asked.token)


async def writers(
    services: Services, *, platform: str = "console", tenant: str = "local", per_side: int = 8
) -> list[Writer]:
    """``per_side`` detractors and promoters who gave a reason each (detractors first)."""
    found = []
    for index in range(2 * per_side):
        person = Person(platform=platform, tenant=tenant, user_id=f"writer-{index:02d}")
        side = "slow builds" if index < per_side else "great mentoring"
        score = 2 if index < per_side else 10
        found.append(await answer(services, person, score=score, reason=f"{side} number {index}"))
    return found


async def released_report(services: Services, *, channel: str | None = CHANNEL) -> SurveyReport:
    """The default survey's report with quotes (it releases the reasons), after giving
    the survey a digest channel for the notices."""
    async with services.database.transaction() as session:
        named = col(Survey.name) == DEFAULT_SURVEY
        await session.execute(update(Survey).where(named).values(digest_channel=channel))
        survey = (await session.execute(select(Survey).where(named))).scalar_one()
        return await services.reports.survey_report(
            session,
            survey=survey,
            request=ReportRequest(quotes=True),
            today=services.clock().date(),
        )


def quoted(report: SurveyReport, everyone: list[Writer]) -> dict[str, Writer]:
    """Each quote's handle, with the writer of the quoted reason."""
    assert report.quotes is not None
    by_text = {w.reason: w for w in everyone}
    pairs = [
        *zip(report.quotes.detractors, report.quotes.detractor_handles, strict=True),
        *zip(report.quotes.promoters, report.quotes.promoter_handles, strict=True),
    ]
    return {handle: by_text[text] for text, handle in pairs}
