"""Survey results: aggregated in SQL into histograms, summarised by pure statistics.

:class:`Reports` is the report use case's workhorse: it reads histograms through
``storage.queries`` and turns them into :class:`SurveyReport` values (for JSON and the
CLI) and :class:`~bot.views.ReportView` values (for chat).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.i18n import Translator
from bot.nps import composition, display_round
from bot.views import Notice, ReportRow, ReportSection, ReportView, Tone
from storage import queries
from storage.models import Survey, Tenant


@dataclass(frozen=True)
class ReportRequest:
    """What an admin asked for: a survey by name, a segment to break down by, a period."""

    survey: str | None = None
    by: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class SurveyReport:
    """The numbers of one survey over one period. NPS values are unrounded points."""

    survey: str
    kind: str
    k: int
    n: int
    histogram: tuple[int, ...] | None
    promoters: int | None
    passives: int | None
    detractors: int | None
    nps: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    margin: float | None = None
    segments: tuple[dict[str, Any], ...] = ()
    trend: tuple[dict[str, Any], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def suppressed(self) -> bool:
        """True when fewer than ``k`` people answered: only ``n`` may be shown."""
        return self.histogram is None

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of ``nps-bot report --json`` (one object per survey)."""
        return {
            "survey": self.survey,
            "kind": self.kind,
            "n": self.n,
            "k": self.k,
            "suppressed": self.suppressed,
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "nps": self.nps,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "margin": self.margin,
            "distribution": None if self.histogram is None else list(self.histogram),
            "segments": list(self.segments),
            "trend": list(self.trend),
            **self.extra,
        }


class Reports:
    """Builds reports from the database; holds no state of its own."""

    async def survey_report(
        self, session: AsyncSession, *, survey: Survey, request: ReportRequest, today: date
    ) -> SurveyReport:
        histogram = await queries.score_histogram(session, survey_id=survey.id)
        counts = composition(histogram)
        if counts.n < survey.k_min:
            # Too few answers to show anything but their number without exposing people.
            return SurveyReport(
                survey=survey.name,
                kind=survey.kind,
                k=survey.k_min,
                n=counts.n,
                histogram=None,
                promoters=None,
                passives=None,
                detractors=None,
                nps=None,
            )
        return SurveyReport(
            survey=survey.name,
            kind=survey.kind,
            k=survey.k_min,
            n=counts.n,
            histogram=histogram,
            promoters=counts.promoters,
            passives=counts.passives,
            detractors=counts.detractors,
            nps=counts.nps,
        )

    async def all_reports(
        self, session: AsyncSession, *, request: ReportRequest, today: date
    ) -> list[SurveyReport]:
        """Reports for every survey (optionally only those named ``request.survey``)."""
        query = select(Survey).order_by(col(Survey.name))
        if request.survey:
            query = query.where(col(Survey.name) == request.survey)
        surveys = list((await session.execute(query)).scalars())
        return [
            await self.survey_report(session, survey=survey, request=request, today=today)
            for survey in surveys
        ]

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
        survey = default_survey
        if request.survey:
            found = await queries.find_survey_by_name(
                session, tenant_id=tenant.id, name=request.survey
            )
            if found is None:
                return Notice(translator("survey.unknown"), Tone.ERROR)
            survey = found
        report = await self.survey_report(session, survey=survey, request=request, today=today)
        return render_report(report, translator)


def render_report(report: SurveyReport, t: Translator) -> ReportView:
    """The chat view of a report, every word from the catalogs."""
    title = t("report.title", survey=report.survey)
    if report.n == 0:
        return ReportView(title=title, headline=t("report.no_answers"))
    if report.nps is None or report.histogram is None:
        return ReportView(title=title, headline=t("report.too_few", n=report.n, k=report.k))
    counts = composition(report.histogram)
    headline = t("report.headline", nps=_signed(report.nps), n=report.n)
    rows = tuple(
        ReportRow(
            label=t(f"report.{name}"),
            value=t("report.count_share", count=count, share=display_round(100 * count / report.n)),
        )
        for name, count in (
            ("promoters", counts.promoters),
            ("passives", counts.passives),
            ("detractors", counts.detractors),
        )
    )
    return ReportView(
        title=title,
        headline=headline,
        sections=(ReportSection(title=t("report.composition"), rows=rows),),
    )


def _signed(value: float) -> str:
    rounded = display_round(value)
    return f"+{rounded}" if rounded > 0 else str(rounded)
