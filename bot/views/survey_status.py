"""A tenant's survey list and one survey's status, as report views (no I/O)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.domain.cadence import UnusableCadence, runnable_trigger
from bot.i18n import Translator
from bot.views.admin import Audience
from bot.views.common import ChannelMention, ReportRow, ReportSection, ReportView
from bot.views.prompts import kind_name, question
from storage.models import Survey, Wave


@dataclass(frozen=True)
class SurveyStatus:
    """A survey, its newest wave and that wave's invitations by status."""

    survey: Survey
    platform: str
    tenant: str
    answers: int
    wave: Wave | None
    invitations: Mapping[str, int]


def word(t: Translator, prefix: str, state: str) -> str:
    """The word for a stored state (``admin.state.active``), or the state itself when a
    newer version stored one this catalog does not know."""
    try:
        return t(f"{prefix}.{state}")
    except KeyError:
        return state


def survey_list(t: Translator, rows: Sequence[tuple[Survey, int]]) -> ReportView:
    """One row per survey: its name, then kind, state, k and answers."""
    if not rows:
        return ReportView(title=t("admin.list.title"), headline=t("admin.list.empty"))
    lines = tuple(
        ReportRow(
            survey.name,
            t.plural(
                "admin.list.row",
                answers,
                kind=kind_name(t, survey),
                state=word(t, "admin.state", survey.status),
                k=survey.k_min,
            ),
        )
        for survey, answers in rows
    )
    return ReportView(
        title=t("admin.list.title"),
        headline=t.plural("admin.list.count", len(rows)),
        sections=(ReportSection(title="", rows=lines),),
    )


def audience_row(
    t: Translator, audience: Mapping[str, str], *, names: Mapping[str, str] | None = None
) -> ReportRow:
    """Who a survey invites, in words: "Everyone", "A user group: S0123", or a
    channel's members with the channel named as a mention where the platform can, and
    in text by its name and id ("#general (C0123)") where ``names`` holds its name."""
    label = t("admin.field.audience")
    parts = []
    mention = None
    for key, value in audience.items():
        if key == Audience.EVERYONE:
            parts.append(t("admin.choice.audience.everyone"))
            continue
        named = word(t, "admin.choice.audience", key)
        if key == Audience.CHANNEL:
            mention = ChannelMention(value, lead=t("admin.status.audience_lead", who=named))
            title = (names or {}).get(value)
            value = (
                t("admin.status.channel_named", name=title, channel=value)
                if title
                else t("admin.status.channel_id", channel=value)
            )
        parts.append(t("admin.status.audience", who=named, target=value))
    if mention is not None and len(parts) > 1:
        mention = None  # one mention per row: several parts stay in words
    return ReportRow(
        label, ", ".join(parts) or t("admin.choice.audience.everyone"), mention=mention
    )


def channel_row(t: Translator, label: str, channel: str | None) -> ReportRow:
    """A setting that names a channel: a mention in chat, the labelled id in text."""
    if not channel:
        return ReportRow(label, "-")
    return ReportRow(
        label, t("admin.status.channel_id", channel=channel), mention=ChannelMention(channel)
    )


def cadence_rows(t: Translator, survey: Survey) -> tuple[ReportRow, ReportRow]:
    """The survey's cadence and digest cadence (``-`` without a digest), each with why
    it schedules nothing when the settings would refuse it now: a value stored before
    a rule, or by hand (:func:`bot.domain.cadence.runnable_trigger`)."""
    digest = survey.digest_cadence if survey.digest_channel else None
    return (
        _cadence_row(
            t,
            t("admin.field.cadence"),
            survey.cadence or t("admin.status.default_cadence"),
            stored=survey.cadence,
            timezone=survey.timezone,
        ),
        _cadence_row(
            t,
            t("admin.field.digest_cadence"),
            digest or "-",
            stored=digest,
            timezone=survey.timezone if digest else None,
        ),
    )


def _cadence_row(
    t: Translator, label: str, shown: str, *, stored: str | None, timezone: str | None
) -> ReportRow:
    """``shown`` under ``label``; with the reason it runs nothing when ``timezone`` is
    given (a cadence to check) and the cadence ``stored`` is refused in it."""
    if timezone is not None:
        try:
            runnable_trigger(stored, timezone)
        except UnusableCadence as error:
            why = t(f"admin.status.not_scheduled.{error.fault.value}")
            return ReportRow(label, t("admin.status.not_scheduled", value=shown, why=why))
    return ReportRow(label, shown)


def status_view(t: Translator, found: SurveyStatus) -> ReportView:
    """Settings, answers, and the newest wave with its invitations by status."""
    survey = found.survey
    settings = (
        ReportRow(t("status.kind"), kind_name(t, survey)),
        ReportRow(t("status.state"), word(t, "admin.state", survey.status)),
        ReportRow(t("status.answers"), str(found.answers)),
        ReportRow(t("status.k"), str(survey.k_min)),
        audience_row(t, survey.audience),
        *cadence_rows(t, survey),
        ReportRow(t("admin.field.window_days"), str(survey.window_days)),
        ReportRow(t("admin.field.reminders"), str(survey.reminders)),
        channel_row(t, t("admin.field.digest_channel"), survey.digest_channel),
        channel_row(t, t("admin.field.alert_channel"), survey.alert_channel),
        ReportRow(t("admin.field.timezone"), survey.timezone),
        ReportRow(t("admin.field.locale"), survey.locale),
    )
    sections = [ReportSection(title="", rows=settings)]
    wave = found.wave
    if wave is None:
        sections.append(
            ReportSection(title=t("admin.status.wave"), notes=(t("admin.status.no_wave"),))
        )
    else:
        rows = (
            ReportRow(t("status.state"), word(t, "admin.wave", wave.status)),
            ReportRow(t("admin.status.opens"), t.date(wave.opens_at.date())),
            ReportRow(t("admin.status.closes"), t.date(wave.closes_at.date())),
            *(
                ReportRow(word(t, "admin.invitation", state), str(count))
                for state, count in sorted(found.invitations.items())
            ),
        )
        sections.append(ReportSection(title=t("admin.status.wave"), rows=rows))
    return ReportView(
        title=t("status.title", survey=survey.name),
        headline=question(t, survey),
        sections=tuple(sections),
    )
