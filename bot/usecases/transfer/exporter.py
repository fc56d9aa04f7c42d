"""Anonymized export of answers: period, score, category, reason and segment labels.

Without ``--raw`` an export is microdata released through the disclosure gate
(:mod:`bot.usecases.gate`), in one transaction with its ledger:

* only answers of the newest release step are exported;
* each row is described coarsely enough that at least ``k`` released answers share its
  description, and so that no class can be subtracted from what reports, digests and
  earlier exports released (:mod:`bot.usecases.transfer.coarsening`); the ``date`` column
  holds the month, quarter or year, or is blank, and the ``coarsened`` column names what
  was made coarser than stored; answers no description makes safe are left out;
* a reason is exported only from the released texts (they move in steps of
  ``k_comments``) and only in a row whose description ``k_comments`` answers share.

``--raw`` skips all of that and writes every stored answer with its day: an explicit,
logged choice of whoever can run the command.

The rows name their survey, not its tenant, so an export of every tenant is refused
(:class:`NameInTenants`, before any release is opened) when two of its surveys share a
name: their rows could not be told apart.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.nps import category
from bot.usecases.gate import open_release
from bot.usecases.transfer.coarsening import AtomKey, Published, atom_key, publish
from storage.models import Survey, Tenant
from storage.surveys import surveys_named
from storage.transfer import StoredAnswer, label_counts, stream_answers

FIXED_COLUMNS = ("survey", "date", "score", "category", "reason", "coarsened")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportRow:
    survey: str
    date: str
    score: int
    category: str
    reason: str | None
    segments: dict[str, str]
    coarsened: tuple[str, ...] = ()

    def as_record(self) -> dict[str, object]:
        """Flat mapping for CSV and JSON: the fixed columns, then the labels (a label
        named like a fixed column cannot be told apart from it and is left out)."""
        labels = {k: v for k, v in self.segments.items() if k not in FIXED_COLUMNS}
        return {
            "survey": self.survey,
            "date": self.date,
            "score": self.score,
            "category": self.category,
            "reason": self.reason,
            "coarsened": " ".join(self.coarsened),
            **labels,
        }


@dataclass(frozen=True)
class SurveyExport:
    """What one survey may export: with ``raw`` everything, else the published atoms."""

    survey: Survey
    raw: bool
    labels: tuple[str, ...]
    through_step: int = 0
    text_step: int = 0
    published: dict[AtomKey, Published] = field(default_factory=dict)


class NameInTenants(LookupError):
    """Surveys of one name in several tenants: ``places`` maps each such name to the
    (platform, tenant id) of each, ordered."""

    def __init__(self, places: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__(f"surveys of one name in several tenants: {', '.join(places)}")
        self.places = places


async def _one_tenant_per_name(session: AsyncSession, found: list[Survey]) -> None:
    tenants: dict[str, set[uuid.UUID]] = {}
    for survey in found:
        tenants.setdefault(survey.name, set()).add(survey.tenant_id)
    places: dict[str, list[tuple[str, str]]] = {}
    for name, ids in tenants.items():
        if len(ids) > 1:
            owners = [await session.get_one(Tenant, tenant_id) for tenant_id in ids]
            places[name] = sorted((owner.platform, owner.external_id) for owner in owners)
    if places:
        raise NameInTenants(places)


async def plan_exports(
    session: AsyncSession, *, survey: str | None, raw: bool, tenant_id: uuid.UUID | None = None
) -> list[SurveyExport]:
    """One plan per survey (only the one named ``survey`` if given; only the surveys of
    ``tenant_id`` if given, else every tenant's). Without ``raw`` each plan is a release
    of its survey, recorded in its ledger. Raise :class:`NameInTenants` (having opened
    no release) when, without ``tenant_id``, two of the surveys share a name."""
    surveys = await surveys_named(session, tenant_id=tenant_id, name=survey)
    if tenant_id is None:
        await _one_tenant_per_name(session, surveys)
    plans = []
    for found in surveys:
        if raw:
            log.warning("raw export of survey %s (no small-group protection)", found.id)
            labels = tuple(
                sorted(
                    {
                        n
                        for found_labels, _ in await label_counts(session, survey_id=found.id)
                        for n in found_labels
                    }
                )
            )
            plans.append(SurveyExport(survey=found, raw=True, labels=labels))
            continue
        release = await open_release(session, survey=found)
        atoms = [(atom_key(a.step, a.day, a.wave, a.labels), a.count) for a in release.released]
        published = publish(release, atoms)
        await release.close(session)
        labels = tuple(sorted({n for p in published.values() for n in p.labels}))
        plans.append(
            SurveyExport(
                survey=found,
                raw=False,
                labels=labels,
                through_step=release.step,
                text_step=release.text_step,
                published=published,
            )
        )
    return plans


async def export_rows(session: AsyncSession, plan: SurveyExport) -> AsyncIterator[ExportRow]:
    """The rows ``plan`` allows, in random-id order."""
    if plan.raw:
        async for answer in stream_answers(session, survey_id=plan.survey.id):
            yield _row(
                plan,
                answer,
                date=answer.answered_on.isoformat(),
                labels=answer.segments,
                reason=answer.reason,
            )
        return
    if not plan.through_step:
        return
    threshold = plan.survey.k_comments
    async for answer in stream_answers(
        session, survey_id=plan.survey.id, through_step=plan.through_step
    ):
        assert answer.step is not None
        key = atom_key(answer.step, answer.answered_on, answer.wave, answer.segments)
        shown = plan.published.get(key)
        if shown is None:
            continue
        texts = answer.step <= plan.text_step and shown.class_size >= threshold
        yield _row(
            plan,
            answer,
            date=shown.period,
            labels=shown.labels,
            reason=answer.reason if texts else None,
            coarsened=shown.coarsened,
        )


def _row(
    plan: SurveyExport,
    answer: StoredAnswer,
    *,
    date: str,
    labels: dict[str, str],
    reason: str | None,
    coarsened: tuple[str, ...] = (),
) -> ExportRow:
    return ExportRow(
        survey=plan.survey.name,
        date=date,
        score=answer.score,
        category=category(answer.score).value,
        reason=reason,
        segments=labels,
        coarsened=coarsened,
    )
