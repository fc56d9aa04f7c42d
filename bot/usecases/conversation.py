"""The respondent's conversation: the question, the score, the reason, driver ratings.

Reliability contract: each use case is one database transaction, but for a score. A
score is stored in a transaction that claims the person's open ask and writes nothing
about the person; the next one closes the ask (see :mod:`bot.usecases.settling`). The
claim is unique, so a double click or a redelivered request stores one answer; anything
invalid is refused before a write.
The hot path (an answer in a workspace already seen) reads and writes in as few
statements as the rules allow: see :mod:`storage.asks` and
:mod:`bot.usecases.remembered`. Its three transactions (asking, storing the score,
closing the ask) run on Core connections (:meth:`storage.database.Database.connection`),
without an ORM session around them; a workspace seen for the first time is set up
through the ORM inside the same transaction.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.inputs import REASON_LIMIT, clean_text, parse_score, parse_uuid
from bot.domain.people import Person
from bot.domain.policy import Eligibility, Refusal
from bot.i18n import Translator
from bot.usecases import ratings
from bot.usecases.asking import ask
from bot.usecases.chat import ChatUseCases
from bot.usecases.guards import DATABASE_ERRORS, database_guard
from bot.usecases.settling import close_claimed
from bot.views.common import DriverPrompt, Notice, ReasonPrompt, ScorePrompt, Tone
from bot.views.prompts import reason_prompt, score_prompt
from storage import answers, asks
from storage.asks import AskState, OpenAsk
from storage.database import joined_session
from storage.models import Survey

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answerable:
    """An ask that may take the person's score now. ``written``: recorded by this
    request (a score without an open ask), so not yet committed."""

    survey: Survey
    ask: OpenAsk
    written: bool


class Conversation(ChatUseCases):
    """What a person does when answering a survey in chat."""

    @database_guard
    async def start(self, person: Person) -> ScorePrompt | Notice:
        """Ask the default survey's question now, if this person may be asked (an ask
        still open is asked again)."""
        t = self.translator(person)
        key = self._key(person)
        async with self._deps.database.connection() as connection:
            state = await self._ask_state(connection, person, key, survey_id=None)
            assert state is not None  # the default survey is created when missing
            asked = await ask(
                connection,
                state=state,
                respondent_key=key,
                platform_labels=person.segments,
                today=self._today(),
            )
        if asked.ask is None:
            return _refusal(t, asked.verdict)
        return score_prompt(t, state.survey)

    @database_guard
    async def record_score(
        self, person: Person, *, survey_id: str, score: object
    ) -> ReasonPrompt | Notice:
        """Store a score at once; return the reason prompt that fits it.

        ``score`` may be what a person typed: anything but a whole number 0..10 is
        refused with a message and nothing is stored.
        """
        t = self.translator(person)
        value = parse_score(score)
        if value is None:
            return Notice(t("score.invalid"), Tone.ERROR, retry=True)
        survey_uuid = parse_uuid(survey_id)
        if survey_uuid is None:
            return Notice(t("survey.unknown"), Tone.ERROR)
        today = self._today()
        key = self._key(person)
        async with self._deps.database.connection() as connection:
            found = await self._answerable_ask(connection, person, t, key, survey_uuid, today)
            if isinstance(found, Notice):
                return found
            stored = (
                None
                if found.written
                else await self._store_answer(connection, person, t, found, value, today)
            )
        if stored is None:
            # The ask was written just now: it commits first, so that the answer's
            # transaction writes nothing about the person.
            async with self._deps.database.connection() as connection:
                stored = await self._store_answer(connection, person, t, found, value, today)
        if isinstance(stored, Notice):
            return stored
        await self._close_claimed_ask(found, key)
        token = self._keys.tokens.issue(response_id=stored, key=key, today=today)
        return reason_prompt(t, score=value, token=token)

    @database_guard
    async def record_reason(
        self, person: Person, *, token: str, reason: str | None
    ) -> DriverPrompt | Notice:
        """Attach (or replace) the reason of the answer named by ``token``.

        An empty reason means the person skipped it; the score stays. A reason over the
        limit is refused and nothing changes. When the answer's survey has driver
        questions, the view is their :class:`DriverPrompt` (carrying the thanks).
        """
        t = self.translator(person)
        text = clean_text(reason or "")
        if len(text) > REASON_LIMIT:
            return Notice(
                t("reason.too_long", length=len(text), limit=REASON_LIMIT), Tone.ERROR, retry=True
            )
        response_id = self._keys.tokens.verify(token, key=self._key(person), today=self._today())
        if response_id is None:
            return Notice(t("reason.expired"), Tone.ERROR)
        thanks = t("thanks.with_reason" if text else "thanks.without_reason")
        async with self._deps.database.transaction() as session:
            tenant = await self._tenant(session, person)
            if text and not await answers.set_reason(
                session, tenant_id=tenant.id, response_id=response_id, reason=text
            ):
                return Notice(t("reason.expired"), Tone.ERROR)
            # A survey with driver questions asks them next, under the same token.
            drivers = await ratings.follow_up(
                session,
                t,
                tenant_id=tenant.id,
                response_id=response_id,
                token=token,
                recorded=thanks,
            )
        return drivers or Notice(thanks, Tone.SUCCESS)

    @database_guard
    async def record_rating(
        self, person: Person, *, token: str, driver: str | int, rating: object
    ) -> DriverPrompt | Notice:
        """Store (or change) one optional driver rating of the answer named by ``token``.

        ``driver`` is the driver's key or its position in the survey's list; ``rating``
        may be what a person typed. Returns the :class:`DriverPrompt` again with the
        rating chosen, or a refusal (not 1..5: ``retry``; a driver the survey does not
        ask; a forged, foreign or expired token) with nothing stored.
        """
        t = self.translator(person)
        value = ratings.parse_rating(rating)
        if value is None:
            return Notice(t("drivers.invalid_rating"), Tone.ERROR, retry=True)
        response_id = self._keys.tokens.verify(token, key=self._key(person), today=self._today())
        if response_id is None:
            return Notice(t("drivers.expired"), Tone.ERROR)
        async with self._deps.database.transaction() as session:
            tenant = await self._tenant(session, person)
            return await ratings.rate(
                session,
                t,
                tenant_id=tenant.id,
                response_id=response_id,
                token=token,
                driver=driver,
                rating=value,
            )

    @database_guard
    async def reason_prompt(self, person: Person, *, token: str) -> ReasonPrompt | Notice:
        """The reason question again (to add or change a reason later), if ``token`` is
        this person's and still valid."""
        t = self.translator(person)
        response_id = self._keys.tokens.verify(token, key=self._key(person), today=self._today())
        if response_id is None:
            return Notice(t("reason.expired"), Tone.ERROR)
        async with self._deps.database.transaction() as session:
            tenant = await self._tenant(session, person)
            score = await answers.response_score(
                session, tenant_id=tenant.id, response_id=response_id
            )
        if score is None:
            return Notice(t("reason.expired"), Tone.ERROR)
        return reason_prompt(t, score=score, token=token)

    def reason_limit_message(self, person: Person, length: int) -> str:
        """The too-long message, for adapters that validate inside a form (Slack modals)."""
        return self.translator(person)("reason.too_long", length=length, limit=REASON_LIMIT)

    async def not_now(self, person: Person) -> Notice:
        """The person postponed: nothing changes, the ask stays open."""
        return Notice(self.translator(person)("score.not_now_done"))

    # -- helpers ------------------------------------------------------------------------

    async def _answerable_ask(
        self,
        connection: AsyncConnection,
        person: Person,
        t: Translator,
        key: str,
        survey_id: uuid.UUID,
        today: date,
    ) -> Answerable | Notice:
        """The ask a score answers, or why there is none.

        The usual case is the person's open ask, read in one statement. Otherwise the
        ask state says why not: an unknown or inactive survey, an opt-out, an answer
        already given; or a score without an open ask (a channel card) that the rule
        allows, which records the ask (``written``: the caller commits it before the
        answer).
        """
        state = await self._ask_state(connection, person, key, survey_id=survey_id)
        if state is None:
            return Notice(t("survey.unknown"), Tone.ERROR)
        asked = await ask(
            connection,
            state=state,
            respondent_key=key,
            platform_labels=person.segments,
            today=today,
        )
        if asked.ask is None:
            # Within a reason token's lifetime of the last ask, the score is that ask's
            # answer given again, not a new attempt.
            last = max(state.asked_on, default=None)
            recent = today - timedelta(days=self._keys.tokens.valid_days)
            return _refusal(t, asked.verdict, answered=last is not None and last >= recent)
        return Answerable(survey=state.survey, ask=asked.ask, written=asked.written)

    async def _store_answer(
        self,
        connection: AsyncConnection,
        person: Person,
        t: Translator,
        found: Answerable,
        score: int,
        today: date,
    ) -> uuid.UUID | Notice:
        """Claim the ask and store the answer (its id), or say it was answered already.

        This transaction writes no row about the person: the claim names the ask only
        through a keyed digest, and the answer holds no key at all. The answer carries
        the labels the person had when asked (the ask's), not those of the click; an
        ask recorded before asks kept labels falls back to the click's.
        """
        stored = await asks.insert_answer(
            connection,
            survey=found.survey,
            claim=self._keys.claim(found.ask.contact_id),
            wave_id=found.ask.wave_id,
            score=score,
            segments=person.segments if found.ask.labels is None else found.ask.labels,
            answered_on=today,
        )
        return Notice(t("answer.already"), Tone.INFO) if stored is None else stored

    async def _close_claimed_ask(self, found: Answerable, key: str) -> None:
        """The person's side of a stored answer, in a transaction of its own: close the
        ask and mark the invitation answered.

        The answer is stored whatever happens here: should this fail, the claim still
        keeps the ask from taking a second answer, and a settling run closes the ask
        later (:func:`bot.usecases.settling.settle_claims`).
        """
        try:
            async with self._deps.database.connection() as connection:
                await close_claimed(connection, ask=found.ask, respondent_key=key)
        except DATABASE_ERRORS:
            log.warning("an answer is stored but its ask is not closed yet; it will be settled")

    async def _ask_state(
        self,
        connection: AsyncConnection,
        person: Person,
        key: str,
        *,
        survey_id: uuid.UUID | None,
    ) -> AskState | None:
        """The person's ask state for ``survey_id`` (None: the tenant's default survey,
        created when missing), or None when the tenant has no such survey.

        With the tenant's ids remembered, this is one statement. A remembered id that
        no longer matches a row is forgotten and looked up again once.
        """
        place = (person.platform, person.tenant)
        remembered = self._ids.tenant(place) is not None
        state = await self._read_ask_state(connection, person, key, survey_id=survey_id)
        if state is None and remembered:
            self._ids.forget(place)
            state = await self._read_ask_state(connection, person, key, survey_id=survey_id)
        return state

    async def _read_ask_state(
        self,
        connection: AsyncConnection,
        person: Person,
        key: str,
        *,
        survey_id: uuid.UUID | None,
    ) -> AskState | None:
        place = (person.platform, person.tenant)
        tenant_id = self._ids.tenant(place)
        wanted = survey_id if survey_id is not None else self._ids.default_survey(place)
        if tenant_id is None or wanted is None:
            # A workspace not seen yet (or forgotten): its rows are found, or created,
            # through the ORM, in this transaction.
            async with joined_session(connection) as session:
                if wanted is None:
                    tenant, survey = await self._default_survey(session, person)
                    wanted = survey.id
                    self._ids.remember_default_survey(place, wanted)
                else:
                    tenant = await self._tenant(session, person)
            tenant_id = tenant.id
            self._ids.remember_tenant(place, tenant_id)
        return await asks.ask_state(
            connection, tenant_id=tenant_id, survey_id=wanted, respondent_key=key
        )


def _refusal(t: Translator, verdict: Eligibility, *, answered: bool = False) -> Notice:
    """Why the person is not asked now, in their words; ``answered``: a score came for
    an ask they already answered, rather than too soon after it."""
    if verdict.refusal is Refusal.INACTIVE:
        return Notice(t("survey.unknown"), Tone.ERROR)
    if verdict.refusal is Refusal.OPTED_OUT:
        return Notice(t("answer.opted_out"), Tone.INFO)
    assert verdict.refusal is Refusal.TOO_SOON and verdict.next_date is not None
    if answered:
        return Notice(t("answer.already"), Tone.INFO)
    return Notice(t("answer.too_soon", date=t.date(verdict.next_date)))
