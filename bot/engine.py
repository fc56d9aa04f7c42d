"""The conversation engine: every use case a person or admin can trigger.

Adapters translate platform events into calls on :class:`Engine` and render the views
it returns. The engine owns the rules (eligibility, idempotency, validation, admin
checks); adapters own only the platform.

Reliability contract: each use case is one database transaction. A score is stored
in the same transaction that closes the person's open ask, so a double click or a
redelivered request stores one answer; anything invalid is refused before a write.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import Command, Verb, parse_command
from bot.i18n import Catalogs, Translator, normalize_locale
from bot.identity import ReasonTokens, respondent_key
from bot.nps import category
from bot.people import Person
from bot.policy import FrequencyPolicy, Refusal, eligibility
from bot.report import ReportRequest, Reports
from bot.views import Notice, ReasonPrompt, ScorePrompt, Tone, View
from storage import queries
from storage.database import Database
from storage.models import Survey, Tenant

log = logging.getLogger(__name__)

REASON_LIMIT = 2000
DEFAULT_SURVEY = "default"


@dataclass(frozen=True)
class SurveyDefaults:
    """How a tenant's default survey is created the first time someone talks to the bot."""

    kind: str = "nps"
    subject: str = ""
    locale: str = "en"


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

    # -- entry point shared by every platform's "/nps …" ------------------------------

    async def handle_command(self, person: Person, text: str) -> View:
        """Run whatever ``/nps <text>`` asks for."""
        command = parse_command(text)
        handlers = {
            Verb.ANSWER: self.start,
            Verb.OPT_OUT: self.opt_out,
            Verb.OPT_IN: self.opt_in,
            Verb.PRIVACY: self.privacy,
            Verb.HELP: self.help,
        }
        if command.verb is Verb.REPORT:
            return await self.report(person, _report_request(command))
        if command.verb is Verb.UNKNOWN:
            return Notice(self._t(person)("command.unknown", command=command.word), Tone.WARNING)
        return await handlers[command.verb](person)

    # -- the respondent's path ----------------------------------------------------------

    async def start(self, person: Person) -> View:
        """Ask the question now, if this person may be asked."""
        t = self._t(person)
        today = self._today()
        key = self._key(person)
        try:
            async with self._db.transaction() as session:
                tenant, survey = await self._default_survey(session, person)
                if await queries.is_opted_out(session, tenant_id=tenant.id, respondent_key=key):
                    return Notice(t("answer.opted_out"), Tone.INFO)
                if await queries.open_contact(session, survey_id=survey.id, respondent_key=key):
                    return self._score_prompt(t, survey)
                verdict = eligibility(
                    asked_on=await queries.ask_dates(
                        session, survey_id=survey.id, respondent_key=key
                    ),
                    opted_out=False,
                    policy=_policy(survey),
                    today=today,
                )
                if not verdict.eligible:
                    assert verdict.next_date is not None
                    return Notice(t("answer.too_soon", date=t.date(verdict.next_date)))
                await queries.add_contact(
                    session,
                    tenant_id=tenant.id,
                    survey_id=survey.id,
                    respondent_key=key,
                    asked_on=today,
                )
                return self._score_prompt(t, survey)
        except (OperationalError, DBAPIError):
            return self._unavailable(t)

    async def record_score(self, person: Person, *, survey_id: str, score: object) -> View:
        """Store a score at once; return the reason prompt that fits it.

        ``score`` may be what a person typed: anything but a whole number 0..10 is
        refused with a message and nothing is stored.
        """
        t = self._t(person)
        value = _parse_score(score)
        if value is None:
            return Notice(t("score.invalid"), Tone.ERROR, retry=True)
        survey_uuid = _parse_uuid(survey_id)
        if survey_uuid is None:
            return Notice(t("survey.unknown"), Tone.ERROR)
        today = self._today()
        key = self._key(person)
        try:
            async with self._db.transaction() as session:
                tenant = await self._tenant(session, person)
                survey = await queries.find_survey(
                    session, tenant_id=tenant.id, survey_id=survey_uuid
                )
                if survey is None or survey.status != "active":
                    return Notice(t("survey.unknown"), Tone.ERROR)
                if await queries.is_opted_out(session, tenant_id=tenant.id, respondent_key=key):
                    return Notice(t("answer.opted_out"), Tone.INFO)
                contact = await queries.open_contact(
                    session, survey_id=survey.id, respondent_key=key
                )
                if contact is None:
                    refusal = await self._why_no_open_ask(session, t, survey, key, today)
                    if refusal is not None:
                        return refusal
                    contact = await queries.add_contact(
                        session,
                        tenant_id=tenant.id,
                        survey_id=survey.id,
                        respondent_key=key,
                        asked_on=today,
                    )
                if not await queries.close_contact(session, contact_id=contact.id):
                    return Notice(t("answer.already"), Tone.INFO)
                response_id = await queries.insert_response(
                    session,
                    tenant_id=tenant.id,
                    survey_id=survey.id,
                    wave_id=contact.wave_id,
                    score=value,
                    locale=t.language,
                    segments=person.segments,
                    answered_on=today,
                )
        except (OperationalError, DBAPIError):
            return self._unavailable(t)
        kind = category(value)
        return ReasonPrompt(
            score=value,
            category=kind,
            recorded=t("score.recorded", score=value),
            title=t("reason.title"),
            prompt=t(f"reason.prompt.{kind.value}"),
            skip_hint=t("reason.skip_hint"),
            add_label=t("reason.add"),
            submit_label=t("reason.submit"),
            limit=REASON_LIMIT,
            token=self._tokens.issue(response_id=response_id, key=key, today=today),
        )

    async def record_reason(self, person: Person, *, token: str, reason: str | None) -> View:
        """Attach (or replace) the reason of the answer named by ``token``.

        An empty reason means the person skipped it; the score stays. A reason over the
        limit is refused and nothing changes.
        """
        t = self._t(person)
        text = _clean_text(reason or "")
        if len(text) > REASON_LIMIT:
            return Notice(
                t("reason.too_long", length=len(text), limit=REASON_LIMIT), Tone.ERROR, retry=True
            )
        response_id = self._tokens.verify(token, key=self._key(person), today=self._today())
        if response_id is None:
            return Notice(t("reason.expired"), Tone.ERROR)
        if not text:
            return Notice(t("thanks.without_reason"), Tone.SUCCESS)
        try:
            async with self._db.transaction() as session:
                tenant = await self._tenant(session, person)
                stored = await queries.set_reason(
                    session, tenant_id=tenant.id, response_id=response_id, reason=text
                )
        except (OperationalError, DBAPIError):
            return self._unavailable(t)
        if not stored:
            return Notice(t("reason.expired"), Tone.ERROR)
        return Notice(t("thanks.with_reason"), Tone.SUCCESS)

    def reason_limit_message(self, person: Person, length: int) -> str:
        """The too-long message, for adapters that validate inside a form (Slack modals)."""
        return self._t(person)("reason.too_long", length=length, limit=REASON_LIMIT)

    async def not_now(self, person: Person) -> View:
        """The person postponed: nothing changes, the ask stays open."""
        return Notice(self._t(person)("score.not_now_done"))

    # -- preferences and information ----------------------------------------------------

    async def opt_out(self, person: Person) -> View:
        t = self._t(person)
        try:
            async with self._db.transaction() as session:
                tenant = await self._tenant(session, person)
                added = await queries.add_opt_out(
                    session,
                    tenant_id=tenant.id,
                    respondent_key=self._key(person),
                    since=self._today(),
                )
        except (OperationalError, DBAPIError):
            return self._unavailable(t)
        return Notice(t("optout.done" if added else "optout.already"), Tone.SUCCESS)

    async def opt_in(self, person: Person) -> View:
        t = self._t(person)
        try:
            async with self._db.transaction() as session:
                tenant = await self._tenant(session, person)
                removed = await queries.remove_opt_out(
                    session, tenant_id=tenant.id, respondent_key=self._key(person)
                )
        except (OperationalError, DBAPIError):
            return self._unavailable(t)
        return Notice(t("optin.done" if removed else "optin.already"), Tone.SUCCESS)

    async def privacy(self, person: Person) -> View:
        return Notice(self._t(person)("privacy.text", k=Survey.model_fields["k_min"].default))

    async def help(self, person: Person) -> View:
        return Notice(self._t(person)("help.text"))

    # -- the admin's path ---------------------------------------------------------------

    async def report(self, person: Person, request: ReportRequest | None = None) -> View:
        """The results for an admin; everyone else is refused here, not only in adapters."""
        t = self._t(person)
        if not person.is_admin:
            return Notice(t("report.not_allowed"), Tone.WARNING)
        try:
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
        except (OperationalError, DBAPIError):
            return self._unavailable(t)

    # -- helpers ------------------------------------------------------------------------

    def _t(self, person: Person) -> Translator:
        return self._catalogs.translator(
            normalize_locale(person.locale, fallback=self._defaults.locale)
        )

    def _key(self, person: Person) -> str:
        return respondent_key(self._pepper, person)

    def _today(self) -> date:
        return self._clock().date()

    def _unavailable(self, t: Translator) -> Notice:
        log.exception("database error while handling a request")
        return Notice(t("error.try_again"), Tone.ERROR)

    async def _tenant(self, session: AsyncSession, person: Person) -> Tenant:
        return await queries.get_or_create_tenant(
            session,
            platform=person.platform,
            external_id=person.tenant,
            locale=self._defaults.locale,
            now=self._clock(),
        )

    async def _default_survey(self, session: AsyncSession, person: Person) -> tuple[Tenant, Survey]:
        tenant = await self._tenant(session, person)
        survey = await queries.get_or_create_survey(
            session,
            tenant_id=tenant.id,
            name=DEFAULT_SURVEY,
            kind=self._defaults.kind,
            subject=self._defaults.subject,
            now=self._clock(),
        )
        return tenant, survey

    async def _why_no_open_ask(
        self, session: AsyncSession, t: Translator, survey: Survey, key: str, today: date
    ) -> Notice | None:
        """A notice when a score arrives without an open ask and may not start one."""
        history = await queries.ask_dates(session, survey_id=survey.id, respondent_key=key)
        verdict = eligibility(
            asked_on=history, opted_out=False, policy=_policy(survey), today=today
        )
        if verdict.eligible:
            return None
        assert verdict.refusal is Refusal.TOO_SOON and verdict.next_date is not None
        if max(history) >= today - timedelta(days=self._tokens.valid_days):
            return Notice(t("answer.already"), Tone.INFO)
        return Notice(t("answer.too_soon", date=t.date(verdict.next_date)))

    def _score_prompt(self, t: Translator, survey: Survey) -> ScorePrompt:
        kind = "enps" if survey.kind == "enps" else "nps"
        if survey.subject:
            question = t(f"score.question.{kind}_subject", subject=survey.subject)
        else:
            question = t(f"score.question.{kind}")
        return ScorePrompt(
            survey_id=str(survey.id),
            question=question,
            low_label=t("score.low"),
            high_label=t("score.high"),
            notice=t("score.notice"),
            not_now_label=t("score.not_now"),
            stop_label=t("score.stop"),
            input_hint=t("score.input_hint"),
        )


def _policy(survey: Survey) -> FrequencyPolicy:
    return FrequencyPolicy(
        max_asks=survey.cap_max_asks,
        window_days=survey.cap_window_days,
        min_gap_days=survey.cap_min_gap_days,
    )


def _parse_score(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        value = int(raw.strip())
    else:
        return None
    return value if 0 <= value <= 10 else None


def _parse_uuid(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except (ValueError, AttributeError, TypeError):
        return None


def _clean_text(text: str) -> str:
    """Drop control characters (NUL breaks PostgreSQL) but keep line breaks and tabs."""
    kept = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable() or ch == " ")
    return kept.strip()


def _derive(pepper: bytes, purpose: bytes) -> bytes:
    """A key for one purpose, so the pepper itself is never used twice."""
    return hmac.new(pepper, purpose, hashlib.sha256).digest()


def _report_request(command: Command) -> ReportRequest:
    return ReportRequest(
        survey=command.args[0] if command.args else None,
        by=command.options.get("by") or None,
        period=command.options.get("period") or None,
    )
