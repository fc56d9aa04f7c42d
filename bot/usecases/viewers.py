"""Scoped viewers: an admin shares a survey's report with one person for one group.

Sharing, revoking and listing are administration (the admin check of every survey
verb, :func:`bot.usecases.survey_admin.in_words` for refusals). The share names the
person by their respondent key, computed here from the mention the admin typed and never
stored as a user id; one share per person and survey.

Reading is the one path a person who is not an admin may take past the report's admin
check: :meth:`ScopedViewers.report` finds the share of whoever asks (by recomputing
their key) and answers with that group's report (:mod:`bot.usecases.group_reports`,
through the disclosure gate), or with the very refusal a non-admin gets for any report.
A viewer gets no breakdown (``--by`` would show other groups), and nothing of any survey
not shared with them; every other command stays refused by its own admin check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.audiences import ID_LIMIT, is_platform_id, is_user_id
from bot.domain.commands import ShareAction, ShareCommand
from bot.domain.errors import SurveyError
from bot.domain.labels import LABEL_LIMIT, GroupFault, group_fault, group_text
from bot.domain.people import Person
from bot.domain.surveys import DEFAULT_SURVEY
from bot.i18n import Translator
from bot.report.model import ReportRequest
from bot.usecases.admin_paths import NOT_ALLOWED as REPORT_NOT_ALLOWED
from bot.usecases.context import WaveDeps
from bot.usecases.guards import admin_only, database_guard
from bot.usecases.keys import PersonKeys
from bot.usecases.survey_admin import NOT_ALLOWED, in_words
from bot.usecases.surveys import named_survey
from bot.views.admin import AdminView
from bot.views.common import Notice, ReportRow, ReportSection, ReportView, Tone
from storage import tenants
from storage import viewers as store
from storage.models import ScopedViewer, Survey
from storage.periods import PeriodKind

FINGERPRINT = 8
"""How many hex digits of a viewer's key the list shows: enough to tell shares apart,
nothing that names the person."""


class ScopedViewers:
    """Who may read which group's report. Construct once in the composition root."""

    def __init__(self, deps: WaveDeps) -> None:
        self._deps = deps
        self._keys = PersonKeys(deps.pepper)

    def translator(self, person: Person) -> Translator:
        return self._deps.translator_for(person.locale)

    async def run(self, person: Person, command: ShareCommand) -> AdminView:
        """Run ``survey share|unshare|shares`` (for admins only)."""
        if command.action is ShareAction.SHARE and command.viewer and command.group:
            label, value = command.group
            return await self.share(person, command.survey, command.viewer, label, value)
        if command.action is ShareAction.REVOKE and command.viewer:
            return await self.revoke(person, command.survey, command.viewer)
        return await self.list(person, command.survey)

    # -- for the operator (the command line) and for admins in chat ------------------

    async def grant(
        self, *, platform: str, tenant: str, name: str, viewer: str, label: str, value: str
    ) -> bool:
        """Let ``viewer`` (a user id of that workspace or server) read ``name``'s report of
        the group ``label`` = ``value``; True for a new share, False when the person's
        share moved to this group. :class:`SurveyError` for an unknown survey, a viewer
        that is no user id of ``platform``, or a pair that can be no group's
        (:func:`bot.domain.labels.group_fault`)."""
        _check_viewer(platform, viewer)
        _check_group(label, value)
        async with self._deps.database.transaction() as session:
            survey = await named_survey(session, platform=platform, tenant=tenant, name=name)
            return await store.share(
                session,
                survey=survey,
                viewer_key=self._viewer_key(platform, tenant, viewer),
                label=label,
                value=value,
                today=self._deps.clock().date(),
            )

    async def end(self, *, platform: str, tenant: str, name: str, viewer: str) -> bool:
        """End ``viewer``'s share of ``name``; False when they had none. Any platform id
        is taken, so a share stored before the ids were checked can still be ended."""
        _check_viewer(None, viewer)
        async with self._deps.database.transaction() as session:
            survey = await named_survey(session, platform=platform, tenant=tenant, name=name)
            return await store.revoke(
                session, survey_id=survey.id, viewer_key=self._viewer_key(platform, tenant, viewer)
            )

    async def shares(self, *, platform: str, tenant: str, name: str) -> list[ScopedViewer]:
        """Every share of ``name``, by group."""
        async with self._deps.database.transaction() as session:
            survey = await named_survey(session, platform=platform, tenant=tenant, name=name)
            return await store.shares_of_survey(session, survey_id=survey.id)

    # -- chat ----------------------------------------------------------------------------

    @admin_only(NOT_ALLOWED)
    @database_guard
    @in_words
    async def share(self, person: Person, name: str, viewer: str, label: str, value: str) -> Notice:
        """:meth:`grant`, in the admin's own workspace or server."""
        fresh = await self.grant(
            platform=person.platform,
            tenant=person.tenant,
            name=name,
            viewer=viewer,
            label=label,
            value=value,
        )
        t = self.translator(person)
        key = "viewers.shared" if fresh else "viewers.moved"
        return Notice(t(key, name=name, group=f"{label}={value}"), Tone.SUCCESS)

    @admin_only(NOT_ALLOWED)
    @database_guard
    @in_words
    async def revoke(self, person: Person, name: str, viewer: str) -> Notice:
        """:meth:`end`, in the admin's own workspace or server."""
        ended = await self.end(
            platform=person.platform, tenant=person.tenant, name=name, viewer=viewer
        )
        t = self.translator(person)
        if not ended:
            return Notice(t("viewers.not_shared", name=name), Tone.WARNING)
        return Notice(t("viewers.revoked", name=name), Tone.SUCCESS)

    @admin_only(NOT_ALLOWED)
    @database_guard
    @in_words
    async def list(self, person: Person, name: str) -> ReportView:
        """The shares of ``name``: each group with a short fingerprint of its viewer."""
        shares = await self.shares(platform=person.platform, tenant=person.tenant, name=name)
        t = self.translator(person)
        rows = tuple(
            ReportRow(
                label=group_text(share.label, share.value),
                value=t(
                    "viewers.list.row",
                    viewer=fingerprint(share),
                    since=t.date(share.shared_on),
                ),
            )
            for share in shares
        )
        return ReportView(
            title=t("viewers.list.title", name=name),
            headline=t.plural("viewers.list.count", len(shares)) if shares else t("viewers.none"),
            sections=(ReportSection(title=t("viewers.list.section"), rows=rows),) if rows else (),
        )

    @database_guard
    async def report(self, person: Person, request: ReportRequest) -> ReportView | Notice:
        """The report of the group shared with ``person``, or the report refusal."""
        t = self.translator(person)
        refused = Notice(t(REPORT_NOT_ALLOWED), Tone.WARNING)
        async with self._deps.database.transaction() as session:
            found = await self._share_of(session, person, request.survey)
            if isinstance(found, Notice):
                return found
            if found is None:
                return refused
            share, survey = found
            group = group_text(share.label, share.value)
            if request.by:
                return Notice(t("viewers.no_breakdown", group=group), Tone.WARNING)
            if request.period and request.period not in {p.value for p in PeriodKind}:
                return Notice(t("report.unknown_period", period=request.period), Tone.ERROR)
            from bot.usecases.group_reports import group_report

            released = await group_report(
                session, survey=survey, label=share.label, value=share.value, request=request
            )
        if not released.verdict.shown:
            reason = t(f"report.withheld.{released.verdict.value}", k=survey.k_min)
            return Notice(t("viewers.withheld", group=group, reason=reason), Tone.WARNING)
        from bot.report.render import render_report

        view = render_report(released.report, t)
        scope = ReportSection(
            title=t("viewers.scope.title"), notes=(t("viewers.scope", group=group),)
        )
        return ReportView(
            title=t("viewers.title", survey=survey.name, group=group),
            headline=view.headline,
            sections=(scope, *_figures_only(view.sections, t)),
            charts=view.charts,
        )

    async def _share_of(
        self, session: AsyncSession, person: Person, name: str | None
    ) -> tuple[ScopedViewer, Survey] | Notice | None:
        """The person's share of the survey ``name`` (or, unnamed, of their one shared
        survey, else the default one); None when there is none. Nothing is created."""
        tenant = await tenants.find_tenant(
            session, platform=person.platform, external_id=person.tenant
        )
        if tenant is None:
            return None
        shares = await store.shares_of_viewer(
            session, tenant_id=tenant.id, viewer_key=self._keys.respondent(person)
        )
        if name is not None:
            return next((found for found in shares if found[1].name == name), None)
        if len(shares) == 1:
            return shares[0]
        default = next((found for found in shares if found[1].name == DEFAULT_SURVEY), None)
        if default is None and shares:
            names = ", ".join(survey.name for _, survey in shares)
            t = self.translator(person)
            return Notice(t("viewers.choose", names=names), Tone.WARNING)
        return default

    def _viewer_key(self, platform: str, tenant: str, viewer: str) -> str:
        """The respondent key of ``viewer`` in that workspace or server."""
        return self._keys.respondent(Person(platform=platform, tenant=tenant, user_id=viewer))


def _figures_only(sections: Iterable[ReportSection], t: Translator) -> tuple[ReportSection, ...]:
    """The report's sections without what speaks of texts and drivers, which a group
    report never holds (the scope note says so once)."""
    kept = []
    for section in sections:
        if section.title == t("report.themes"):
            continue
        notes = tuple(note for note in section.notes if note != t("report.drivers_none"))
        kept.append(replace(section, notes=notes))
    return tuple(kept)


def fingerprint(share: ScopedViewer) -> str:
    """A few hex digits of the viewer's key: they tell shares apart and name nobody."""
    return share.viewer_key[:FINGERPRINT]


_USER_HINTS = {
    "slack": "on Slack, U or W and then capital letters and digits (U0123ABCD)",
    "discord": "on Discord, 15 to 20 digits",
}


def _check_viewer(platform: str | None, viewer: str) -> None:
    """Refuse a viewer that is no user id of ``platform`` (None: of any platform): an
    empty one was a share with nobody, one no person has (``0`` on Slack) a share that
    no one ever reads."""
    hint = _USER_HINTS.get(platform) if platform is not None else None
    if platform is not None and hint is not None and not is_user_id(viewer, platform=platform):
        raise SurveyError(
            f"give the person by their user id: {hint}", key=f"viewers.error.user.{platform}"
        )
    if not is_platform_id(viewer):
        raise SurveyError(
            f"give the person by their user id (letters and digits, no spaces, at most "
            f"{ID_LIMIT} characters)",
            key="viewers.error.user",
            limit=ID_LIMIT,
        )


def _check_group(label: str, value: str) -> None:
    """Refuse a ``label=value`` that can be no group's (:func:`group_fault`)."""
    match group_fault(label, value):
        case GroupFault.LENGTH:
            raise SurveyError(
                f"a label and its value need 1 to {LABEL_LIMIT} characters each",
                key="viewers.error.too_long",
                limit=LABEL_LIMIT,
            )
        case GroupFault.CHARACTERS:
            raise SurveyError(
                "a label and its value hold no control, bidi or invisible character",
                key="viewers.error.characters",
            )
