"""The report use case's workhorse: reads aggregates, builds reports and views.

The report's building, rendering and statistics, and the aggregate queries, load with
the first report: a process that only asks and records answers never holds them.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from functools import cached_property, partial
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.domain.drivers import drivers_from_json
from bot.domain.labels import label_fault
from bot.domain.replies import CommentHandles
from bot.i18n import Translator
from bot.report.model import ReportRequest
from bot.usecases.gate import open_release
from bot.views.common import Notice, ReportView, Tone
from storage import surveys as survey_store
from storage.answer_scope import DayRange
from storage.models import Survey, Tenant
from storage.periods import PeriodKind

if TYPE_CHECKING:
    from bot.report.model import SurveyReport
    from bot.stats.terms import Tokenizers


class Reports:
    """Builds reports from the database.

    Holds the text analyzers, loaded on first need and reused (the Japanese
    dictionary takes a moment to load), and the comment handles quotes are shown with
    (none: quotes without handles); every report is computed afresh.
    """

    def __init__(self, handles: CommentHandles | None = None) -> None:
        self._handles = handles

    @cached_property
    def tokenizers(self) -> Tokenizers:
        from bot.stats.terms import default_tokenizers

        return default_tokenizers()

    async def survey_report(
        self,
        session: AsyncSession,
        *,
        survey: Survey,
        request: ReportRequest,
        today: date,
        days: DayRange | None = None,
        grid: bool = False,
    ) -> SurveyReport:
        """The report of one survey, released through the disclosure gate (whose ledger
        it extends in this transaction). Raise ``ValueError`` for an unknown period kind.
        With ``grid`` (a chat report, which draws the heatmap) a breakdown also puts
        each segment in each period to the gate.

        ``today`` is accepted for reports that will need it (digests of "this month");
        the figures themselves depend only on released answers. With ``days``, only the
        answers of those days count (a periodic digest).
        """
        from bot.report.build import SurveyFacts, WaveGroup, build_report
        from bot.usecases.action_tracking import tracked_actions
        from bot.usecases.report_release import report_verdicts
        from storage import aggregates, ratings

        period = request.period_kind()
        window = days or DayRange()
        release = await open_release(session, survey=survey)
        cells = await aggregates.score_cube(
            session,
            survey_id=survey.id,
            period=period,
            by=request.by or None,
            days=days,
            through_step=release.step,
        )
        # A range of days is not a wave: its response rate would describe other answers.
        wave = (
            None
            if days
            else await aggregates.latest_invited_wave(
                session, survey_id=survey.id, through_step=release.step
            )
        )
        invited = (
            await aggregates.invited_by_label(session, wave_id=wave.wave_id, by=request.by)
            if wave is not None and request.by
            else {}
        )
        verdicts = report_verdicts(
            release,
            cells=cells,
            period=period,
            by=request.by or None,
            days=window,
            wave=wave,
            wave_labels=await aggregates.wave_labels(session, survey_id=survey.id)
            if period is PeriodKind.WAVE
            else {},
            unreleased=await aggregates.answers_between(session, survey_id=survey.id, days=window),
            wave_groups=sorted(invited),
            grid=grid,
        )
        # A digest (a range of days) lists no actions: putting waves to the gate there
        # would mix two ways of cutting the same answers for no reader's benefit.
        tracked = (
            ()
            if days
            else await tracked_actions(
                session,
                survey=survey,
                release=release,
                tokenizers=lambda: self.tokenizers,
                today=today,
            )
        )
        await release.close(session)
        wave_groups = [
            WaveGroup(
                label=label,
                invited=count,
                answered=release.count(
                    release.group(
                        waves=frozenset({wave.wave_id.hex}), labels=((request.by, label),)
                    )
                ),
            )
            for label, count in invited.items()
            if wave is not None and request.by
        ]
        shown = verdicts.overall.shown
        reasons = (
            await aggregates.reasons(
                session, survey_id=survey.id, days=days, through_step=release.text_step
            )
            if shown and release.text_step
            else ()
        )
        questions = drivers_from_json(survey.drivers)
        rated = (
            await ratings.rated_answers(
                session,
                survey_id=survey.id,
                keys=[q.key for q in questions],
                days=days,
                through_step=release.ratings_step,
            )
            if shown and release.ratings_step
            else ()
        )
        built = build_report(
            SurveyFacts(
                name=survey.name,
                kind=survey.kind,
                k=survey.k_min,
                k_comments=survey.k_comments,
                drivers=questions,
            ),
            rated=rated,
            request=request,
            cells=cells,
            verdicts=verdicts,
            wave=wave,
            reasons=reasons,
            tokenizers=lambda: self.tokenizers,
            wave_groups=wave_groups,
            handle=None if self._handles is None else partial(self._handles.handle, survey.id),
        )
        return replace(built, actions=tracked)

    async def all_reports(
        self,
        session: AsyncSession,
        *,
        request: ReportRequest,
        today: date,
        tenant_id: uuid.UUID | None = None,
    ) -> list[SurveyReport]:
        """Reports for every survey of every tenant, or only of ``tenant_id`` (and only
        those named ``request.survey``), by platform, tenant and name; each report names
        its tenant."""
        query = (
            select(Survey, Tenant)
            .join(Tenant, col(Tenant.id) == col(Survey.tenant_id))
            .order_by(col(Tenant.platform), col(Tenant.external_id), col(Survey.name))
        )
        if tenant_id is not None:
            query = query.where(col(Survey.tenant_id) == tenant_id)
        if request.survey:
            query = query.where(col(Survey.name) == request.survey)
        reports = []
        for survey, owner in (await session.execute(query)).all():
            report = await self.survey_report(session, survey=survey, request=request, today=today)
            reports.append(replace(report, platform=owner.platform, tenant=owner.external_id))
        return reports

    async def view_for_tenant(
        self,
        session: AsyncSession,
        *,
        tenant: Tenant,
        default_survey: Survey,
        request: ReportRequest,
        translator: Translator,
        today: date,
    ) -> ReportView | Notice:
        """The chat view of one of the tenant's surveys (the default one unless named)."""
        survey = default_survey
        if request.survey:
            found = await survey_store.find_survey_by_name(
                session, tenant_id=tenant.id, name=request.survey
            )
            if found is None:
                return Notice(translator("survey.unknown"), Tone.ERROR)
            survey = found
        if request.period and request.period not in {p.value for p in PeriodKind}:
            return Notice(translator("report.unknown_period", period=request.period), Tone.ERROR)
        if request.by and label_fault(request.by) is not None:
            return Notice(translator("report.label_characters"), Tone.ERROR)
        report = await self.survey_report(
            session, survey=survey, request=request, today=today, grid=True
        )
        from bot.report.render import render_report

        return render_report(report, translator)
