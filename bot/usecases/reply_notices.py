"""The periodic notice that replies exist: batched, delayed, addressed to no one.

Run on a fixed cadence with random jitter (:mod:`bot.runtime.scheduling`), it posts one
line per survey with messages not yet announced to the survey's digest channel ("new
replies exist for survey X"), never to a person, never naming or counting threads, and
records the day of the run, after which App Home shows the same line to everyone for
:data:`bot.domain.replies.NOTICE_DAYS` days. So neither the time of a reply nor the time
of an answer-back reaches anyone: both surface at the next run, among whatever else
arrived since. The messages are marked announced
(a compare-and-set, committed) before the post, so replicas running the same notice
post it once; a crash between the two loses that notice rather than doubling it. A
survey without a digest channel is marked too: its respondents find replies by pressing
"See replies" whenever they like.
"""

from __future__ import annotations

import logging

from bot.ports.reach import Reach
from bot.usecases.context import WaveDeps
from bot.usecases.tenants import reach_tenant
from bot.views.common import Notice
from storage import replies as store
from storage.models import Survey

log = logging.getLogger(__name__)


async def announce_replies(deps: WaveDeps, reach: Reach) -> int:
    """Post the notice of every survey of this tenant with news; how many were posted."""
    async with deps.database.transaction() as session:
        tenant = await reach_tenant(session, deps, reach)
        survey_ids = await store.surveys_with_news(session, tenant_id=tenant.id)
    posted = 0
    for survey_id in survey_ids:
        async with deps.database.transaction() as session:
            survey = await session.get(Survey, survey_id)
            claimed = await store.mark_announced(session, survey_id=survey_id)
            if claimed:
                # App Home shows the same notice for a while after this run's day.
                today = deps.clock().date()
                await store.record_notice(session, survey_id=survey_id, today=today)
        if survey is None or not claimed or not survey.digest_channel:
            continue
        t = deps.catalogs.translator(survey.locale)
        try:
            await reach.platform.post_to_channel(
                survey.digest_channel, Notice(t("replies.notice", survey=survey.name))
            )
            posted += 1
        except Exception:
            log.exception("the replies notice of survey %s could not be posted", survey_id)
    return posted
