"""The report of one group of a survey (a scoped viewer's), released through the gate.

A group report is the survey's report narrowed to the answers carrying one label value:
its overall figures are that group, its trend the group in each period. Every one of
them is a group like any other to the disclosure gate (:mod:`bot.usecases.gate`),
judged against the ledger of everything released of the survey, to admins or to other
viewers, and written to it when admitted. So a viewer can never subtract their view from
an admin's (or an admin theirs from a viewer's) to isolate fewer than ``k`` answers.

It holds figures only: no wave bounds (invitations are not counted per group), and no
reasons, themes, quotes or driver figures, whose own release steps protect the survey's
whole corpus of texts and ratings, not its parts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot.report.build import SurveyFacts, build_report
from bot.report.model import ReportRequest, SurveyReport
from bot.stats.selection import Verdict
from bot.stats.terms import default_tokenizers
from bot.usecases.gate import open_release
from bot.usecases.report_release import report_verdicts
from storage import aggregates
from storage.answer_scope import DayRange
from storage.models import Survey


@dataclass(frozen=True)
class GroupReport:
    """A group's report and the gate's verdict on the group itself (when it is not
    admitted, the report carries no figures)."""

    report: SurveyReport
    verdict: Verdict


async def group_report(
    session: AsyncSession, *, survey: Survey, label: str, value: str, request: ReportRequest
) -> GroupReport:
    """The report of the answers of ``survey`` labelled ``label`` = ``value``, in the
    period kind ``request`` asks for (``ValueError`` for an unknown one)."""
    period = request.period_kind()
    release = await open_release(session, survey=survey)
    cube = await aggregates.score_cube(
        session, survey_id=survey.id, period=period, by=label, through_step=release.step
    )
    cells = tuple(replace(cell, group=None) for cell in cube if cell.group == value)
    verdicts = report_verdicts(
        release,
        cells=cells,
        period=period,
        by=None,
        days=DayRange(),
        wave=None,
        wave_labels=await aggregates.wave_labels(session, survey_id=survey.id)
        if period is aggregates.PeriodKind.WAVE
        else {},
        unreleased=0,
        scope=((label, value),),
    )
    await release.close(session)
    report = build_report(
        SurveyFacts(
            name=survey.name, kind=survey.kind, k=survey.k_min, k_comments=survey.k_comments
        ),
        request=ReportRequest(survey=survey.name, period=request.period),
        cells=cells,
        verdicts=verdicts,
        wave=None,
        reasons=(),
        tokenizers=default_tokenizers,  # never called: a group report holds no texts
    )
    return GroupReport(report=report, verdict=verdicts.overall)
