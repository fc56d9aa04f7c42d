"""Asking someone a survey: the one decision and the one record, for every way of asking.

A person's ``/nps``, a score on a channel card, a manual send (CLI or API) and a wave
all come here. The decision is :func:`bot.domain.policy.may_ask` over the person's
:class:`~storage.asks.AskState` (read in one statement); the record is one ``INSERT``
(:func:`storage.asks.add_ask`), made in the caller's transaction, so whatever the caller
does next (send a message, write an invitation) commits or rolls back with it.

The ask keeps the labels the person has today: the platform's (``Person.segments``, from
the adapter) merged with the people directory's roster entry read with the ask state
(precedence in :mod:`bot.domain.labels`). The answer to the ask carries those labels.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from bot.domain.policy import Eligibility, FrequencyPolicy, may_ask
from bot.domain.surveys import SurveyState
from bot.domain.tenure import labels_when_asked
from storage import asks
from storage.asks import AskState, OpenAsk
from storage.sql import Executor


@dataclass(frozen=True)
class AskOutcome:
    """What :func:`ask` decided and did.

    ``ask`` is the ask the person may answer now, None when refused (``verdict`` says
    why, and from which day they may be asked again). ``written`` is True when this call
    recorded ``ask``; False when the ask was open already or a racing caller recorded
    it a moment ago (the question has been asked: do not ask it a second time).
    """

    verdict: Eligibility
    ask: OpenAsk | None
    written: bool


async def ask(
    session: Executor,
    *,
    state: AskState,
    respondent_key: str,
    platform_labels: Mapping[str, str],
    today: date,
    wave_id: uuid.UUID | None = None,
) -> AskOutcome:
    """Ask the person of ``state`` its survey today, if the rule allows, and record it.

    An ask still open stands for the question: asking again returns it, writes nothing,
    and does not count it against the cap a second time. A wave's ask (``wave_id``) is
    always a row of its own, since the wave learns from it who answered; for a wave an
    ask left open elsewhere only counts in the cap. ``platform_labels`` are the person's
    labels as the platform describes them now; an ask still open keeps its own.
    """
    survey = state.survey
    standing = state.open_ask if wave_id is None else None
    verdict = may_ask(
        active=survey.status == SurveyState.ACTIVE,
        opted_out=state.opted_out,
        asked_on=() if standing is not None else state.asked_on,
        not_before=None if standing is not None else state.not_before,
        policy=FrequencyPolicy.of(survey),
        today=today,
    )
    if not verdict.eligible:
        return AskOutcome(verdict=verdict, ask=None, written=False)
    if standing is not None:
        return AskOutcome(verdict=verdict, ask=standing, written=False)
    recorded, written = await asks.add_ask(
        session,
        tenant_id=survey.tenant_id,
        survey_id=survey.id,
        respondent_key=respondent_key,
        asked_on=today,
        wave_id=wave_id,
        labels=labels_when_asked(
            platform=platform_labels,
            roster=state.roster_labels,
            started_on=state.started_on,
            today=today,
        ),
    )
    return AskOutcome(verdict=verdict, ask=recorded, written=written)
