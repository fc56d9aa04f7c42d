"""What an admin reads in chat about the default survey: report, card, status, home.

Report, card and status are for admins only (one check, :func:`admin_only`); App Home
is for everyone, and shows admins the latest results too.
"""

from __future__ import annotations

from datetime import timedelta

from bot.domain.people import Person
from bot.domain.replies import NOTICE_DAYS
from bot.report.model import ReportRequest
from bot.usecases.chat import ChatUseCases
from bot.usecases.guards import admin_only, database_guard
from bot.usecases.surveys import read_status
from bot.views.common import HomeView, Notice, ReportView, SurveyCard
from bot.views.prompts import score_prompt, status_view
from storage import actions as notes
from storage import opt_outs, replies, waves

NOT_ALLOWED = "report.not_allowed"


class AdminPaths(ChatUseCases):
    """The default survey as admins see it, and the home tab."""

    @admin_only(NOT_ALLOWED)
    @database_guard
    async def report(
        self, person: Person, request: ReportRequest | None = None
    ) -> ReportView | Notice:
        """The results of the tenant's default survey (or the one ``request`` names)."""
        async with self._deps.database.transaction() as session:
            tenant, default = await self._default_survey(session, person)
            return await self._deps.reports.view_for_tenant(
                session,
                tenant=tenant,
                default_survey=default,
                request=request or ReportRequest(),
                translator=self.translator(person),
                today=self._today(),
            )

    @admin_only(NOT_ALLOWED)
    @database_guard
    async def survey_card(self, person: Person) -> SurveyCard | Notice:
        """A channel card for the default survey."""
        t = self.translator(person)
        async with self._deps.database.transaction() as session:
            _, survey = await self._default_survey(session, person)
            # The open wave's "you said, we did", as its invitations carry it.
            wave = await waves.latest_wave(session, survey_id=survey.id)
            opened = wave is not None and wave.status == waves.OPEN
            follow_up = await notes.note_of_wave(session, wave=wave) if opened and wave else None
        prompt = score_prompt(t, survey)
        return SurveyCard(
            survey_id=prompt.survey_id,
            title=t("card.title"),
            question=prompt.question,
            notice=prompt.notice,
            button_label=t("card.button"),
            follow_up=follow_up or "",
        )

    @admin_only(NOT_ALLOWED)
    @database_guard
    async def survey_status(self, person: Person) -> ReportView | Notice:
        """The default survey's settings and answer count."""
        async with self._deps.database.transaction() as session:
            _, survey = await self._default_survey(session, person)
            found = await read_status(
                session, survey=survey, platform=person.platform, tenant=person.tenant
            )
        return status_view(self.translator(person), found.survey, answers=found.answers)

    @database_guard
    async def home(self, person: Person) -> HomeView | Notice:
        """What a person's home tab shows them (admins also see the latest results)."""
        t = self.translator(person)
        async with self._deps.database.transaction() as session:
            tenant, survey = await self._default_survey(session, person)
            opted_out = await opt_outs.is_opted_out(
                session, tenant_id=tenant.id, respondent_key=self._key(person)
            )
            since = self._today() - timedelta(days=NOTICE_DAYS)
            noticed = await replies.noticed_surveys(session, tenant_id=tenant.id, since=since)
        report = await self.report(person) if person.is_admin else None
        return HomeView(
            title=t("home.title"),
            privacy=self._privacy_text(t, k=survey.k_min),
            opted_out=opted_out,
            status_text=t("home.opted_out" if opted_out else "home.taking_part"),
            toggle_label=t("home.opt_in" if opted_out else "home.opt_out"),
            answer_label=t("home.answer"),
            admin_report=report if isinstance(report, ReportView) else None,
            replies_notice="\n".join(t("replies.notice", survey=name) for name in noticed),
        )
