"""Anonymized export of answers: date, score, category, reason and segment labels.

Unless the export is raw, the report's protections apply row by row:

* a survey with fewer than ``k`` answers exports nothing;
* for each segment label, a value withheld by :func:`bot.stats.suppression.suppress`
  (fewer than ``k`` answers, or revealing such a group by subtraction) is blanked, so no
  row ties an answer to a small group;
* reasons are exported only from surveys with at least ``k_comments`` answers.

Like the report, this protects each label on its own; combinations of labels (team ×
role) are not checked.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.nps import category
from bot.stats.suppression import suppress
from storage.models import Survey
from storage.surveys import surveys_named
from storage.transfer import label_counts, stream_answers

FIXED_COLUMNS = ("survey", "date", "score", "category", "reason")


@dataclass(frozen=True)
class ExportRow:
    survey: str
    answered_on: date
    score: int
    category: str
    reason: str | None
    segments: dict[str, str]

    def as_record(self) -> dict[str, object]:
        """Flat mapping for CSV and JSON: the fixed columns, then the labels (a label
        named like a fixed column cannot be told apart from it and is left out)."""
        labels = {k: v for k, v in self.segments.items() if k not in FIXED_COLUMNS}
        return {
            "survey": self.survey,
            "date": self.answered_on.isoformat(),
            "score": self.score,
            "category": self.category,
            "reason": self.reason,
            **labels,
        }


@dataclass(frozen=True)
class SurveyExport:
    """What one survey may export."""

    survey: Survey
    include_rows: bool
    include_reasons: bool
    withheld: Mapping[str, frozenset[str]]
    labels: tuple[str, ...]


def withheld_labels(
    counts: Sequence[tuple[Mapping[str, str], int]], *, k: int
) -> dict[str, frozenset[str]]:
    """For each label key, the values a report would withhold under the survey total."""
    total = sum(count for _, count in counts)
    per_key: dict[str, dict[str, int]] = {}
    for labels, count in counts:
        for key, value in labels.items():
            values = per_key.setdefault(key, {})
            values[value] = values.get(value, 0) + count
    return {
        key: frozenset(d.path[0] for d in suppress(total, values, k=k) if not d.shown)
        for key, values in per_key.items()
    }


async def plan_exports(
    session: AsyncSession, *, survey: str | None, raw: bool, tenant_id: uuid.UUID | None = None
) -> list[SurveyExport]:
    """One plan per survey (only the one named ``survey`` if given; only the surveys of
    ``tenant_id`` if given, else every tenant's)."""
    plans = []
    for found in await surveys_named(session, tenant_id=tenant_id, name=survey):
        counts = await label_counts(session, survey_id=found.id)
        total = sum(count for _, count in counts)
        keys = sorted({key for labels, _ in counts for key in labels})
        plans.append(
            SurveyExport(
                survey=found,
                include_rows=raw or total >= found.k_min,
                include_reasons=raw or total >= found.k_comments,
                withheld={} if raw else withheld_labels(counts, k=found.k_min),
                labels=tuple(keys),
            )
        )
    return plans


async def export_rows(session: AsyncSession, plan: SurveyExport) -> AsyncIterator[ExportRow]:
    """The rows ``plan`` allows, in random-id order."""
    if not plan.include_rows:
        return
    async for answer in stream_answers(session, survey_id=plan.survey.id):
        yield ExportRow(
            survey=plan.survey.name,
            answered_on=answer.answered_on,
            score=answer.score,
            category=category(answer.score).value,
            reason=answer.reason if plan.include_reasons else None,
            segments={
                key: value
                for key, value in answer.segments.items()
                if value not in plan.withheld.get(key, frozenset())
            },
        )
