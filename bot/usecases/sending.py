"""Asking one person now, by hand: the CLI's ``survey send`` and the send API.

The same rule and the same record as every other way of asking
(:func:`bot.usecases.asking.ask`); the ask is written in the transaction that sends the
message, so a failed send leaves no trace.
"""

from __future__ import annotations

import logging
import uuid
from enum import StrEnum

from bot.domain.errors import unknown_survey
from bot.domain.identity import respondent_key
from bot.ports.platform import PlatformUnreachable
from bot.ports.reach import Reach
from bot.usecases.asking import ask
from bot.usecases.context import WaveDeps
from bot.usecases.tenants import reach_tenant
from bot.views.prompts import score_prompt
from storage import asks
from storage import surveys as survey_store
from storage.models import Survey

log = logging.getLogger(__name__)


async def find_survey_ref(deps: WaveDeps, reach: Reach, *, ref: str) -> Survey | None:
    """The survey of this reach's tenant whose id (a UUID) or name is ``ref``, or None."""
    async with deps.database.transaction() as session:
        owner = await reach_tenant(session, deps, reach)
        try:
            survey_id = uuid.UUID(ref)
        except ValueError:
            return await survey_store.find_survey_by_name(session, tenant_id=owner.id, name=ref)
        return await survey_store.find_survey(session, tenant_id=owner.id, survey_id=survey_id)


class Sent(StrEnum):
    """What :func:`send_one` did. Only the operator's command line tells them apart;
    the send API answers every outcome but ``SENT`` as "not eligible"."""

    SENT = "sent"
    NOT_ELIGIBLE = "not_eligible"
    """The rule said no (opted out, the cap, an ask already open)."""
    UNKNOWN_PERSON = "unknown_person"
    """The platform knows no such person, or did not say."""
    NOT_DELIVERED = "not_delivered"
    """The platform refused the message; nothing was recorded."""


async def send_one(deps: WaveDeps, reach: Reach, *, name: str, user_id: str) -> Sent:
    """Ask one person the survey ``name`` now, if they may be asked. An ask already
    open counts as asked (nothing is sent again): the message goes out only from the
    call whose transaction wrote the ask.

    A survey this tenant does not have raises :class:`~bot.domain.errors.SurveyError`;
    the platform out of reach raises :class:`~bot.ports.platform.PlatformUnreachable`,
    with nothing sent or recorded.
    """
    try:
        person = await reach.platform.profile(user_id)
    except PlatformUnreachable:
        raise
    except Exception:
        log.warning("could not look up a person to send a survey to")
        return Sent.UNKNOWN_PERSON
    key = respondent_key(deps.pepper, person)
    try:
        async with deps.database.transaction() as session:
            owner = await reach_tenant(session, deps, reach)
            survey = await survey_store.find_survey_by_name(session, tenant_id=owner.id, name=name)
            if survey is None:
                raise unknown_survey(name)
            state = await asks.ask_state(
                session, tenant_id=owner.id, survey_id=survey.id, respondent_key=key
            )
            assert state is not None  # the survey was read in this transaction
            asked = await ask(
                session,
                state=state,
                respondent_key=key,
                platform_labels=person.segments,
                today=deps.clock().date(),
            )
            if not asked.written:
                return Sent.NOT_ELIGIBLE
            view = score_prompt(deps.survey_translator(person.locale, state.survey), state.survey)
            try:
                await reach.platform.send_direct(person.user_id, view)
            except PlatformUnreachable:
                raise  # out of the transaction, which takes the ask back with it
            except Exception as error:
                raise _NotSent from error
        return Sent.SENT
    except _NotSent:
        return Sent.NOT_DELIVERED


class _NotSent(Exception):
    """Raised inside the ask's transaction so that a failed send rolls the ask back."""
