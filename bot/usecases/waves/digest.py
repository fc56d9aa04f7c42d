"""The closing digest: a wave's results posted once to the survey's digest channel.

Posted only when the wave itself has at least ``k`` answers. The ``digest`` row is
inserted (and committed) before posting, so however many replicas close the same wave
the channel sees one post; a crash between the two loses that digest rather than
doubling it.
"""

from __future__ import annotations

import uuid

from bot.ports.reach import Reach
from bot.report.model import ReportRequest
from bot.usecases.context import WaveDeps
from storage import digests
from storage import waves as store
from storage.models import Survey


def digest_period(wave_id: uuid.UUID) -> str:
    """The digest's period key: the wave itself (32 characters, the column's size)."""
    return wave_id.hex


async def post_digest(deps: WaveDeps, reach: Reach, *, wave_id: uuid.UUID) -> bool:
    """Post the digest of ``wave_id`` if it is due and not posted yet; True if posted."""
    now = deps.clock()
    async with deps.database.transaction() as session:
        wave = await store.find_wave(session, wave_id=wave_id)
        survey = await session.get(Survey, wave.survey_id) if wave is not None else None
        if wave is None or survey is None or not survey.digest_channel:
            return False
        # The report's counting loads with the first digest due, not with the bot's start.
        from storage import aggregates

        if await aggregates.wave_answers(session, wave_id=wave_id) < survey.k_min:
            return False
        report = await deps.reports.survey_report(
            session,
            survey=survey,
            request=ReportRequest(survey=survey.name, period="wave"),
            today=now.date(),
        )
        if report.figures is None:
            return False
        channel = survey.digest_channel
        if not await digests.record_digest(
            session, survey_id=survey.id, period=digest_period(wave_id), channel=channel, now=now
        ):
            return False
    from bot.report.render import render_report

    view = render_report(report, deps.catalogs.translator(survey.locale))
    await reach.platform.post_to_channel(
        channel, view, image=view.charts[0] if view.charts else None
    )
    return True
