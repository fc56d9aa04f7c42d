"""The conversation engine: every use case a person or admin can trigger.

Adapters translate platform events into calls on :class:`Engine` and render the views
it returns. The engine owns the rules (eligibility, idempotency, validation, admin
checks); adapters own only the platform.

Reliability contract: each use case is one database transaction. A score is stored
in the same transaction that closes the person's open ask, so a double click or a
redelivered request stores one answer; anything invalid is refused before a write.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Concatenate, ParamSpec

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.drivers import DriverQuestion
from bot.domain.identity import ReasonTokens, respondent_key
from bot.domain.inputs import clean_text, parse_score, parse_uuid
from bot.domain.people import Person
from bot.domain.policy import FrequencyPolicy, Refusal, eligibility
from bot.i18n import Catalogs, Translator, normalize_locale
from bot.report.model import ReportRequest
from bot.usecases import ratings
from bot.usecases.reports import Reports
from bot.views.common import (
    HomeView,
    Notice,
    ReportView,
    SurveyCard,
    Tone,
    View,
)
from bot.views.prompts import REASON_LIMIT, reason_prompt, score_prompt, status_view
from storage import aggregates, answers, asks, contacts, deletion, invitations, opt_outs, tenants
from storage import surveys as survey_store
from storage.asks import AskState, OpenAsk
from storage.database import Database
from storage.models import Survey, Tenant

log = logging.getLogger(__name__)

DEFAULT_SURVEY = "default"


@dataclass(frozen=True)
class SurveyDefaults:
    """How a tenant's default survey is created the first time someone talks to the bot."""

    kind: str = "nps"
    subject: str = ""
    locale: str = "en"
    reason_retention_months: int = 24
    drivers: tuple[DriverQuestion, ...] = ()


P = ParamSpec("P")
UseCase = Callable[Concatenate["Engine", Person, P], Awaitable[View]]


def _database_guard(use_case: UseCase[P]) -> UseCase[P]:
    """Turn a database failure into a "try again in a moment" notice in the person's
    language; the failed transaction has already rolled back, so nothing is half-stored."""

    @functools.wraps(use_case)
    async def guarded(engine: Engine, person: Person, /, *args: P.args, **kwargs: P.kwargs) -> View:
        try:
            return await use_case(engine, person, *args, **kwargs)
        except (OperationalError, DBAPIError, OSError):
            # OSError: a refused connection surfaces from the driver before SQLAlchemy wraps it.
            log.exception("database error while handling a request")
            return Notice(engine._t(person)("error.try_again"), Tone.ERROR)

    return guarded


class Engine:
    """Use cases over one database. Construct once in the composition root."""

    def __init__(
        self,
        *,
        database: Database,
        catalogs: Catalogs,
        pepper: bytes,
        clock: Callable[[], datetime],
        defaults: SurveyDefaults,
        reports: Reports,
    ) -> None:
        self._db = database
        self._catalogs = catalogs
        self._pepper = pepper
        self._clock = clock
        self._defaults = defaults
        self._reports = reports
        self._tokens = ReasonTokens(secret=_derive(pepper, b"reason-token"))
        # (platform, workspace/guild) → ids, which never change once created.
        self._tenant_ids: dict[tuple[str, str], uuid.UUID] = {}
        self._default_survey_ids: dict[tuple[str, str], uuid.UUID] = {}

    # -- what every platform's "/nps …" may end in (bot.usecases.commands dispatches) ---

    def unknown_command(self, person: Person, word: str) -> View:
        """The answer to ``/nps <word>`` when ``word`` is no command."""
        return Notice(self._t(person)("command.unknown", command=word), Tone.WARNING)

    # -- the respondent's path ----------------------------------------------------------

    @_database_guard
    async def start(self, person: Person) -> View:
        """Ask the question now, if this person may be asked."""
        t = self._t(person)
        today = self._today()
        key = self._key(person)
        async with self._db.transaction() as session:
            state = await self._ask_state(session, person, key, survey_id=None)
            assert state is not None  # the default survey is created when missing
            survey = state.survey
            if state.opted_out:
                return Notice(t("answer.opted_out"), Tone.INFO)
            if state.open_ask is not None:
                return score_prompt(t, survey)
            verdict = eligibility(
                asked_on=state.asked_on, opted_out=False, policy=_policy(survey), today=today
            )
            if not verdict.eligible:
                assert verdict.next_date is not None
                return Notice(t("answer.too_soon", date=t.date(verdict.next_date)))
            await asks.add_open_ask(
                session,
                tenant_id=survey.tenant_id,
                survey_id=survey.id,
                respondent_key=key,
                asked_on=today,
            )
            return score_prompt(t, survey)

    @_database_guard
    async def record_score(self, person: Person, *, survey_id: str, score: object) -> View:
        """Store a score at once; return the reason prompt that fits it.

        ``score`` may be what a person typed: anything but a whole number 0..10 is
        refused with a message and nothing is stored.
        """
        t = self._t(person)
        value = parse_score(score)
        if value is None:
            return Notice(t("score.invalid"), Tone.ERROR, retry=True)
        survey_uuid = parse_uuid(survey_id)
        if survey_uuid is None:
            return Notice(t("survey.unknown"), Tone.ERROR)
        today = self._today()
        key = self._key(person)
        async with self._db.transaction() as session:
            closed = await self._close_ask(session, person, t, key, survey_uuid, today)
            if isinstance(closed, Notice):
                return closed
            tenant_id, ask = closed
            if ask.wave_id is not None:
                # Reminders skip people who answered; the wave forgets this when it closes.
                await invitations.mark_answered(session, wave_id=ask.wave_id, respondent_key=key)
            response_id = await asks.insert_answer(
                session,
                tenant_id=tenant_id,
                survey_id=survey_uuid,
                wave_id=ask.wave_id,
                score=value,
                locale=t.language,
                segments=person.segments,
                answered_on=today,
            )
        token = self._tokens.issue(response_id=response_id, key=key, today=today)
        return reason_prompt(t, score=value, token=token)

    @_database_guard
    async def record_reason(self, person: Person, *, token: str, reason: str | None) -> View:
        """Attach (or replace) the reason of the answer named by ``token``.

        An empty reason means the person skipped it; the score stays. A reason over the
        limit is refused and nothing changes. When the answer's survey has driver
        questions, the view is their :class:`DriverPrompt` (carrying the thanks).
        """
        t = self._t(person)
        text = clean_text(reason or "")
        if len(text) > REASON_LIMIT:
            return Notice(
                t("reason.too_long", length=len(text), limit=REASON_LIMIT), Tone.ERROR, retry=True
            )
        response_id = self._tokens.verify(token, key=self._key(person), today=self._today())
        if response_id is None:
            return Notice(t("reason.expired"), Tone.ERROR)
        thanks = t("thanks.with_reason" if text else "thanks.without_reason")
        async with self._db.transaction() as session:
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

    @_database_guard
    async def record_rating(
        self, person: Person, *, token: str, driver: str | int, rating: object
    ) -> View:
        """Store (or change) one optional driver rating of the answer named by ``token``.

        ``driver`` is the driver's key or its position in the survey's list; ``rating``
        may be what a person typed. Returns the :class:`DriverPrompt` again with the
        rating chosen, or a refusal (not 1..5: ``retry``; a driver the survey does not
        ask; a forged, foreign or expired token) with nothing stored.
        """
        t = self._t(person)
        value = ratings.parse_rating(rating)
        if value is None:
            return Notice(t("drivers.invalid_rating"), Tone.ERROR, retry=True)
        response_id = self._tokens.verify(token, key=self._key(person), today=self._today())
        if response_id is None:
            return Notice(t("drivers.expired"), Tone.ERROR)
        async with self._db.transaction() as session:
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

    @_database_guard
    async def reason_prompt(self, person: Person, *, token: str) -> View:
        """The reason question again (to add or change a reason later), if ``token`` is
        this person's and still valid."""
        t = self._t(person)
        response_id = self._tokens.verify(token, key=self._key(person), today=self._today())
        if response_id is None:
            return Notice(t("reason.expired"), Tone.ERROR)
        async with self._db.transaction() as session:
            tenant = await self._tenant(session, person)
            score = await answers.response_score(
                session, tenant_id=tenant.id, response_id=response_id
            )
        if score is None:
            return Notice(t("reason.expired"), Tone.ERROR)
        return reason_prompt(t, score=score, token=token)

    def reason_limit_message(self, person: Person, length: int) -> str:
        """The too-long message, for adapters that validate inside a form (Slack modals)."""
        return self._t(person)("reason.too_long", length=length, limit=REASON_LIMIT)

    async def not_now(self, person: Person) -> View:
        """The person postponed: nothing changes, the ask stays open."""
        return Notice(self._t(person)("score.not_now_done"))

    # -- preferences and information ----------------------------------------------------

    @_database_guard
    async def opt_out(self, person: Person) -> View:
        t = self._t(person)
        async with self._db.transaction() as session:
            tenant = await self._tenant(session, person)
            added = await opt_outs.add_opt_out(
                session,
                tenant_id=tenant.id,
                respondent_key=self._key(person),
                since=self._today(),
            )
        return Notice(t("optout.done" if added else "optout.already"), Tone.SUCCESS)

    @_database_guard
    async def opt_in(self, person: Person) -> View:
        t = self._t(person)
        async with self._db.transaction() as session:
            tenant = await self._tenant(session, person)
            removed = await opt_outs.remove_opt_out(
                session, tenant_id=tenant.id, respondent_key=self._key(person)
            )
        return Notice(t("optin.done" if removed else "optin.already"), Tone.SUCCESS)

    async def privacy(self, person: Person) -> View:
        return Notice(self._privacy_text(self._t(person), Survey.model_fields["k_min"].default))

    @_database_guard
    async def forget_me(self, person: Person) -> View:
        """Delete everything keyed to this person; their answers were anonymous all along."""
        t = self._t(person)
        async with self._db.transaction() as session:
            tenant = await self._tenant(session, person)
            await deletion.forget_person(
                session, tenant_id=tenant.id, respondent_key=self._key(person)
            )
        return Notice(t("forget.done"), Tone.SUCCESS)

    async def apply_retention(self) -> int:
        """Clear reasons older than the retention period (a daily job); returns how many."""
        cutoff = _months_before(self._today(), self._defaults.reason_retention_months)
        async with self._db.transaction() as session:
            return await answers.expire_reasons(session, answered_before=cutoff)

    async def help(self, person: Person) -> View:
        return Notice(self._t(person)("help.text"))

    # -- the admin's path ---------------------------------------------------------------

    @_database_guard
    async def report(self, person: Person, request: ReportRequest | None = None) -> View:
        """The results for an admin; everyone else is refused here, not only in adapters."""
        t = self._t(person)
        if not person.is_admin:
            return Notice(t("report.not_allowed"), Tone.WARNING)
        async with self._db.transaction() as session:
            tenant, default = await self._default_survey(session, person)
            return await self._reports.view_for_tenant(
                session,
                tenant=tenant,
                default_survey=default,
                request=request or ReportRequest(),
                translator=t,
                today=self._today(),
            )

    @_database_guard
    async def survey_card(self, person: Person) -> View:
        """A channel card for the default survey; only admins may post one."""
        t = self._t(person)
        if not person.is_admin:
            return Notice(t("report.not_allowed"), Tone.WARNING)
        async with self._db.transaction() as session:
            _, survey = await self._default_survey(session, person)
        prompt = score_prompt(t, survey)
        return SurveyCard(
            survey_id=prompt.survey_id,
            title=t("card.title"),
            question=prompt.question,
            notice=prompt.notice,
            button_label=t("card.button"),
        )

    @_database_guard
    async def survey_status(self, person: Person) -> View:
        """The default survey's settings and answer count, for admins."""
        t = self._t(person)
        if not person.is_admin:
            return Notice(t("report.not_allowed"), Tone.WARNING)
        async with self._db.transaction() as session:
            _, survey = await self._default_survey(session, person)
            answers = sum(await aggregates.score_histogram(session, survey_id=survey.id))
        return status_view(t, survey, answers=answers)

    @_database_guard
    async def home(self, person: Person) -> View:
        """What a person's home tab shows them (admins also see the latest results)."""
        t = self._t(person)
        async with self._db.transaction() as session:
            tenant, survey = await self._default_survey(session, person)
            opted_out = await opt_outs.is_opted_out(
                session, tenant_id=tenant.id, respondent_key=self._key(person)
            )
        report = await self.report(person) if person.is_admin else None
        return HomeView(
            title=t("home.title"),
            privacy=self._privacy_text(t, survey.k_min),
            opted_out=opted_out,
            status_text=t("home.opted_out" if opted_out else "home.taking_part"),
            toggle_label=t("home.opt_in" if opted_out else "home.opt_out"),
            answer_label=t("home.answer"),
            admin_report=report if isinstance(report, ReportView) else None,
        )

    # -- helpers ------------------------------------------------------------------------

    def _t(self, person: Person) -> Translator:
        return self._catalogs.translator(
            normalize_locale(person.locale, fallback=self._defaults.locale)
        )

    def _privacy_text(self, t: Translator, k: int) -> str:
        return t("privacy.text", k=k, months=self._defaults.reason_retention_months)

    def _key(self, person: Person) -> str:
        return respondent_key(self._pepper, person)

    def _today(self) -> date:
        return self._clock().date()

    async def _tenant(self, session: AsyncSession, person: Person) -> Tenant:
        return await tenants.get_or_create_tenant(
            session,
            platform=person.platform,
            external_id=person.tenant,
            locale=self._defaults.locale,
            now=self._clock(),
        )

    async def _default_survey(self, session: AsyncSession, person: Person) -> tuple[Tenant, Survey]:
        tenant = await self._tenant(session, person)
        survey = await survey_store.get_or_create_survey(
            session,
            tenant_id=tenant.id,
            name=DEFAULT_SURVEY,
            kind=self._defaults.kind,
            subject=self._defaults.subject,
            drivers=[driver.to_json() for driver in self._defaults.drivers],
            now=self._clock(),
        )
        return tenant, survey

    async def _close_ask(
        self,
        session: AsyncSession,
        person: Person,
        t: Translator,
        key: str,
        survey_id: uuid.UUID,
        today: date,
    ) -> tuple[uuid.UUID, OpenAsk] | Notice:
        """Close the ask a score answers (the tenant's id and the ask), or say why not.

        The usual case is one compare-and-set statement. Otherwise the ask state says
        why: an unknown or closed survey, an opt-out, an answer already given; or a score
        without an open ask (a channel card) that the frequency cap allows, which opens
        an ask and closes it at once.
        """
        tenant_id = self._tenant_ids.get((person.platform, person.tenant))
        if tenant_id is not None:
            ask = await asks.close_open_ask(
                session, tenant_id=tenant_id, survey_id=survey_id, respondent_key=key
            )
            if ask is not None:
                return tenant_id, ask
        state = await self._ask_state(session, person, key, survey_id=survey_id)
        if state is None or state.survey.status != "active":
            return Notice(t("survey.unknown"), Tone.ERROR)
        survey = state.survey
        if state.opted_out:
            return Notice(t("answer.opted_out"), Tone.INFO)
        ask = state.open_ask
        if ask is None:
            refusal = self._why_no_open_ask(t, state, today)
            if refusal is not None:
                return refusal
            ask = await asks.add_open_ask(
                session,
                tenant_id=survey.tenant_id,
                survey_id=survey.id,
                respondent_key=key,
                asked_on=today,
            )
        if not await contacts.close_contact(session, contact_id=ask.contact_id):
            return Notice(t("answer.already"), Tone.INFO)
        return survey.tenant_id, ask

    async def _ask_state(
        self, session: AsyncSession, person: Person, key: str, *, survey_id: uuid.UUID | None
    ) -> AskState | None:
        """The person's ask state for ``survey_id`` (None: the tenant's default survey,
        created when missing), or None when the tenant has no such survey.

        Tenant and default-survey ids are remembered per workspace/guild: they never
        change, so the hot path reads the survey row, the opt-out and the asks in one
        statement. A remembered id that no longer matches a row (a survey deleted, an
        id remembered from a transaction that rolled back) is forgotten and looked up
        again once.
        """
        place = (person.platform, person.tenant)
        remembered = place in self._tenant_ids
        state = await self._read_ask_state(session, person, key, survey_id=survey_id)
        if state is None and remembered:
            self._tenant_ids.pop(place, None)
            self._default_survey_ids.pop(place, None)
            state = await self._read_ask_state(session, person, key, survey_id=survey_id)
        return state

    async def _read_ask_state(
        self, session: AsyncSession, person: Person, key: str, *, survey_id: uuid.UUID | None
    ) -> AskState | None:
        place = (person.platform, person.tenant)
        tenant_id = self._tenant_ids.get(place)
        if tenant_id is None:
            tenant_id = (await self._tenant(session, person)).id
            self._tenant_ids[place] = tenant_id
        if survey_id is None:
            survey_id = self._default_survey_ids.get(place)
            if survey_id is None:
                survey_id = (await self._default_survey(session, person))[1].id
                self._default_survey_ids[place] = survey_id
        return await asks.ask_state(
            session, tenant_id=tenant_id, survey_id=survey_id, respondent_key=key
        )

    def _why_no_open_ask(self, t: Translator, state: AskState, today: date) -> Notice | None:
        """A notice when a score arrives without an open ask and may not start one."""
        history = state.asked_on
        verdict = eligibility(
            asked_on=history, opted_out=False, policy=_policy(state.survey), today=today
        )
        if verdict.eligible:
            return None
        assert verdict.refusal is Refusal.TOO_SOON and verdict.next_date is not None
        if max(history) >= today - timedelta(days=self._tokens.valid_days):
            return Notice(t("answer.already"), Tone.INFO)
        return Notice(t("answer.too_soon", date=t.date(verdict.next_date)))


def _policy(survey: Survey) -> FrequencyPolicy:
    return FrequencyPolicy(
        max_asks=survey.cap_max_asks,
        window_days=survey.cap_window_days,
        min_gap_days=survey.cap_min_gap_days,
    )


def _months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier (clamped to the month's last day)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for candidate in range(day.day, 27, -1):
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    return date(year, month + 1, min(day.day, 28))


def _derive(pepper: bytes, purpose: bytes) -> bytes:
    """A key for one purpose, so the pepper itself is never used twice."""
    return hmac.new(pepper, purpose, hashlib.sha256).digest()

