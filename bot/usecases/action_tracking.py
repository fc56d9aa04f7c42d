"""Each action of a survey for its report, with how its theme or driver moved between
the survey's last two waves ("did it work?").

Every figure goes through the release the report opened: each of the two waves is put
to the disclosure gate as a group (:meth:`bot.usecases.gate.Release.admit`) and nothing
is said of a wave it withholds. A theme's share is counted over the wave's released
reasons only, and only when each wave has at least ``k_comments`` of them and the
reasons outside the two waves are none or at least as many (so no subtraction from the
survey's themes isolates a few); a driver's
mean over released ratings, with at least ``k`` in each wave. The wording rules of the
statistic are :mod:`bot.stats.movement`'s: a direction only with a test below alpha.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.actions import ActionStatus, is_overdue
from bot.report.actions import ActionMovement, TrackedAction
from bot.stats.movement import Moments, mean_movement, share_movement
from bot.stats.terms import Tokenizers
from bot.usecases.gate import Release
from storage import actions as store
from storage import aggregates, tracking
from storage import waves as wave_store
from storage.models import Survey, Wave
from storage.plan_models import ActionPlan

WAVES = "waves"
"""Withheld: the survey has fewer than two waves."""
GATE = "gate"
"""Withheld: the gate does not admit one of the two waves."""
TEXTS = "texts"
"""Withheld: a wave has fewer reasons than the comment threshold."""
RATINGS = "ratings"
"""Withheld: a wave has fewer than k ratings of the driver."""
REST = "rest"
"""Withheld: the released reasons (or ratings) outside the two waves are a few (1 to
``k_comments`` − 1, or to ``k`` − 1). The survey's themes and drivers are drawn from
every released reason and rating, so the two waves' figures subtracted from them would
give those few's."""


async def tracked_actions(
    session: AsyncSession,
    *,
    survey: Survey,
    release: Release,
    tokenizers: Callable[[], Tokenizers],
    today: date,
) -> tuple[TrackedAction, ...]:
    """The survey's actions by number, each with its movement or why it has none. Call
    before ``release`` is closed: the waves it admits join the ledger."""
    actions = await store.actions_of_survey(session, survey_id=survey.id)
    if not actions:
        return ()
    pair = await _last_two_waves(session, survey)
    admitted = pair is not None and all(
        release.admit(release.group(waves=frozenset({wave.id.hex}))).shown for wave in pair
    )
    tracked = []
    for action in actions:
        movement, withheld = None, None
        if action.theme or action.driver:
            if pair is None:
                withheld = WAVES
            elif not admitted:
                withheld = GATE
            else:
                movement, withheld = await _movement(
                    session, action, pair, survey=survey, release=release, tokenizers=tokenizers
                )
        tracked.append(
            TrackedAction(
                number=action.number,
                title=action.title,
                owner=action.owner,
                due=action.due_on,
                status=action.status,
                overdue=is_overdue(ActionStatus(action.status), action.due_on, today=today),
                theme=action.theme,
                driver=action.driver,
                movement=movement,
                withheld=withheld,
            )
        )
    return tuple(tracked)


async def _last_two_waves(session: AsyncSession, survey: Survey) -> tuple[Wave, Wave] | None:
    latest = await wave_store.latest_wave(session, survey_id=survey.id)
    before = None if latest is None else await wave_store.previous_wave(session, wave=latest)
    return None if latest is None or before is None else (before, latest)


async def _movement(
    session: AsyncSession,
    action: ActionPlan,
    pair: tuple[Wave, Wave],
    *,
    survey: Survey,
    release: Release,
    tokenizers: Callable[[], Tokenizers],
) -> tuple[ActionMovement | None, str | None]:
    labels = tuple(wave.opens_at.date().isoformat() for wave in pair)
    if action.theme:
        counted = []
        for wave in pair:
            texts = await tracking.wave_reasons(
                session, wave_id=wave.id, through_step=release.text_step
            )
            if len(texts) < survey.k_comments:
                return None, TEXTS
            words = tokenizers()
            counted.append((sum(action.theme in words.terms(text) for text in texts), len(texts)))
        everything = await aggregates.reasons(
            session, survey_id=survey.id, through_step=release.text_step
        )
        rest = len(everything) - sum(total for _, total in counted)
        if 0 < rest < survey.k_comments:
            return None, REST
        moved = share_movement(counted[0], counted[1])
        return ActionMovement("theme_share", labels[0], labels[1], moved), None
    assert action.driver is not None
    rated = []
    for wave in pair:
        n, total, squares = await tracking.rating_moments(
            session,
            survey_id=survey.id,
            driver=action.driver,
            through_step=release.ratings_step,
            wave_id=wave.id,
        )
        if n < survey.k_min:
            return None, RATINGS
        rated.append(Moments(n, total, squares))
    # The drivers report gives every released rating's mean: the rest must not be a few.
    everyone, _, _ = await tracking.rating_moments(
        session, survey_id=survey.id, driver=action.driver, through_step=release.ratings_step
    )
    if 0 < everyone - sum(m.n for m in rated) < survey.k_min:
        return None, REST
    return ActionMovement("driver_mean", labels[0], labels[1], mean_movement(*rated)), None
