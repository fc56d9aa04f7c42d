"""Closed-loop alerts without identity, posted to a survey's private admin channel.

Two kinds, each batched and never about one answer:

* ``drop``: when a wave closes, its NPS is compared with the survey's previous wave
  by the adjusted-Wald change test; both waves need at least ``k`` answers, and only a
  significant fall (``p < 0.05``) alerts.
* ``reasons``: once the detractors' reasons gathered since the last such alert reach
  the survey's comment threshold (``k_comments``), one summary gives their number and
  the themes that set them apart. Only answers of days before today count, so an
  alert can never be timed to a single answer.

The ``alert`` row is inserted (and committed) before posting, as digests are: any
number of processes post each alert once, and a crash between the two loses that
alert rather than doubling it. Words come from the catalogs; respondent-derived terms
reach the platform as plain text, which the adapters escape.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot.domain.nps import Composition, composition, display_round
from bot.i18n import Translator
from bot.ports.reach import Reach
from bot.usecases.context import WaveDeps
from bot.usecases.gate import open_release
from bot.usecases.tenants import reach_tenant
from bot.views.common import ReportRow, ReportSection, ReportView
from storage import alerts as store
from storage import surveys as survey_store
from storage import waves as wave_store
from storage.answer_scope import DayRange, WrittenReason
from storage.models import Survey

if TYPE_CHECKING:
    # The statistics and the report's wording load with the first alert checked.
    from bot.stats.change import Change
    from bot.stats.themes import Theme

log = logging.getLogger(__name__)

DROP = "drop"
REASONS = "reasons"
THEMES_SHOWN = 5


def significant_drop(
    current: tuple[int, ...], previous: tuple[int, ...], *, k: int
) -> Change | None:
    """The change from ``previous`` to ``current`` (score histograms) when it is a
    significant fall and both have at least ``k`` answers; otherwise None."""
    from bot.stats.change import Verdict, change

    now, before = composition(current), composition(previous)
    if min(now.n, before.n) < k:
        return None
    found = change(now, before)
    return found if found.verdict is Verdict.DOWN else None


async def alert_on_drop(deps: WaveDeps, reach: Reach, *, wave_id: uuid.UUID) -> bool:
    """Alert if ``wave_id``'s NPS fell significantly from the previous wave; True if posted."""
    async with deps.database.transaction() as session:
        wave = await wave_store.find_wave(session, wave_id=wave_id)
        survey = await session.get(Survey, wave.survey_id) if wave is not None else None
        if wave is None or survey is None or not survey.alert_channel:
            return False
        previous = await wave_store.previous_wave(session, wave=wave)
        if previous is None:
            return False
        release = await open_release(session, survey=survey)
        step = release.step
        from storage import aggregates  # loads with the first alert checked, as above

        current = await aggregates.wave_histogram(session, wave_id=wave.id, through_step=step)
        before = await aggregates.wave_histogram(session, wave_id=previous.id, through_step=step)
        drop = significant_drop(current, before, k=survey.k_min)
        if drop is None:
            return False
        # The alert states both waves' scores and sizes: both groups pass the gate.
        for shown in (previous, wave):
            if not release.admit(release.group(waves=frozenset({shown.id.hex}))).shown:
                return False
        await release.close(session)
        channel = survey.alert_channel
        if not await store.record_alert(
            session,
            survey_id=survey.id,
            kind=DROP,
            period=wave.id.hex,
            channel=channel,
            now=deps.clock(),
        ):
            return False
    t = deps.catalogs.translator(survey.locale)
    view = drop_view(
        t, survey=survey.name, drop=drop, before=composition(before), after=composition(current)
    )
    await reach.platform.post_to_channel(channel, view)
    return True


def drop_view(
    t: Translator, *, survey: str, drop: Change, before: Composition, after: Composition
) -> ReportView:
    """The words of a ``drop`` alert: both scores, their sizes and the test's p-value."""
    from bot.report.render import p_value, signed

    assert drop.difference is not None and before.nps is not None and after.nps is not None
    return ReportView(
        title=t("alert.drop.title", survey=survey),
        headline=t.plural(
            "alert.drop.headline",
            abs(display_round(drop.difference)),
            before=signed(before.nps),
            after=signed(after.nps),
            n_before=before.n,
            n_after=after.n,
            difference=signed(drop.difference),
            p=p_value(drop.p_value),
        ),
        sections=(ReportSection(title=t("alert.privacy.title"), notes=(t("alert.privacy"),)),),
    )


@dataclass(frozen=True)
class ReasonBatch:
    """Detractor reasons gathered in ``days``, and promoters' reasons to contrast them."""

    survey: Survey
    channel: str
    days: DayRange
    detractors: tuple[WrittenReason, ...]
    promoters: tuple[WrittenReason, ...]


async def claim_reasons_alert(deps: WaveDeps, *, survey_id: uuid.UUID) -> ReasonBatch | None:
    """Claim the reasons alert of ``survey_id`` if enough detractor reasons gathered since
    the last one (days before today only); the claimed batch, or None."""
    today = deps.clock().date()
    async with deps.database.transaction() as session:
        survey = await session.get(Survey, survey_id)
        if survey is None or not survey.alert_channel:
            return None
        channel = survey.alert_channel
        last = await store.last_alert_period(
            session, survey_id=survey.id, kind=REASONS, channel=channel
        )
        since = date.fromisoformat(last) if last else None
        if since is not None and since >= today:
            return None
        days = DayRange(since=since, until=today)
        # Only reasons the gate has released count: texts move in steps of k_comments.
        texts = (await open_release(session, survey=survey)).text_step
        count = await store.detractor_reason_count(
            session, survey_id=survey.id, days=days, through_step=texts
        )
        if count < survey.k_comments:
            return None
        detractors = await store.side_reasons(
            session, survey_id=survey.id, days=days, detractors=True, through_step=texts
        )
        promoters = await store.side_reasons(
            session,
            survey_id=survey.id,
            days=DayRange(until=today),
            detractors=False,
            through_step=texts,
        )
        if not await store.record_alert(
            session,
            survey_id=survey.id,
            kind=REASONS,
            period=today.isoformat(),
            channel=channel,
            now=deps.clock(),
        ):
            return None
    return ReasonBatch(
        survey=survey, channel=channel, days=days, detractors=detractors, promoters=promoters
    )


async def post_reasons_alert(deps: WaveDeps, reach: Reach, *, survey_id: uuid.UUID) -> bool:
    """Post the reasons alert of ``survey_id`` if one is due; True if posted."""
    batch = await claim_reasons_alert(deps, survey_id=survey_id)
    if batch is None:
        return False
    from bot.stats.themes import Comment, distinguishing_themes

    themes = distinguishing_themes(
        [Comment(r.text) for r in batch.detractors],
        [Comment(r.text) for r in batch.promoters],
        tokenizers=deps.reports.tokenizers,
        min_texts=batch.survey.k_comments,
        min_term_texts=batch.survey.k_min,
        limit=None,
    )
    t = deps.catalogs.translator(batch.survey.locale)
    await reach.platform.post_to_channel(batch.channel, reasons_view(t, batch, themes))
    return True


def reasons_view(t: Translator, batch: ReasonBatch, themes: tuple[Theme, ...]) -> ReportView:
    """The words of a ``reasons`` alert: how many, over which days, and their themes."""
    from bot.stats.themes import Side

    assert batch.days.until is not None
    last_day = date.fromordinal(batch.days.until.toordinal() - 1)
    if batch.days.since is None:
        headline = t(
            "alert.reasons.headline_until", count=len(batch.detractors), until=t.date(last_day)
        )
    else:
        headline = t(
            "alert.reasons.headline",
            count=len(batch.detractors),
            since=t.date(batch.days.since),
            until=t.date(last_day),
        )
    leaning = [theme for theme in themes if theme.leans is Side.DETRACTORS][:THEMES_SHOWN]
    rows = tuple(
        ReportRow(label=theme.term, value=t("alert.reasons.theme_texts", n=theme.detractor_texts))
        for theme in leaning
    )
    notes = () if rows else (t("alert.reasons.no_themes"),)
    return ReportView(
        title=t("alert.reasons.title", survey=batch.survey.name),
        headline=headline,
        sections=(
            ReportSection(title=t("alert.reasons.themes"), rows=rows, notes=notes),
            ReportSection(title=t("alert.privacy.title"), notes=(t("alert.privacy"),)),
        ),
    )


async def alert_due_reasons(deps: WaveDeps, reach: Reach) -> int:
    """Post every reasons alert due in this tenant; return how many were posted."""
    async with deps.database.transaction() as session:
        tenant = await reach_tenant(session, deps, reach)
        surveys = await survey_store.active_surveys(session, tenant_id=tenant.id)
    posted = 0
    for survey in surveys:
        if survey.alert_channel:
            try:
                posted += await post_reasons_alert(deps, reach, survey_id=survey.id)
            except Exception:
                log.exception("the reasons alert of survey %s could not be posted", survey.id)
    return posted
