"""``nps-bot survey status``: a survey's newest wave, its invitations, and its channels
named where the platform can be asked in a few seconds (see :mod:`bot.cli.channel_names`).

Registered on the ``survey`` group by :mod:`bot.cli.surveys`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.cli.running import err, out, words
from bot.cli.survey_runs import Name, Platform, Tenant, run, tenant_named

if TYPE_CHECKING:
    from bot.cli.channel_names import ChannelNames
    from bot.runtime.services import Services
    from bot.views.common import ReportRow
    from bot.views.survey_status import SurveyStatus


def status(name: Name, platform: Platform, tenant: Tenant = None) -> None:
    """Show a survey's newest wave and its invitations (channels named where the
    platform can be asked in a few seconds: see bot.cli.channel_names)."""
    from bot.cli.channel_names import channel_names
    from bot.usecases.surveys import survey_status
    from bot.views.survey_status import audience_row, cadence_rows, channel_row

    async def work(s: Services) -> tuple[SurveyStatus, ChannelNames]:
        where = await tenant_named(s, platform, tenant)
        found = await survey_status(s.database, platform=platform, tenant=where, name=name)
        audience = str(found.survey.audience.get("channel") or "")
        channels = (found.survey.digest_channel or "", found.survey.alert_channel or "", audience)
        named = await channel_names(s, platform=platform, tenant=where, channels=channels)
        return found, named

    found, named = run(work, migrate=False)
    from rich.text import Text

    survey = found.survey
    out().print(f"{survey.name}: {survey.status}, {found.answers} answers", highlight=False)
    t = words()
    out().print(Text(_line(audience_row(t, survey.audience, names=named.names))))
    for row in cadence_rows(t, survey):
        out().print(Text(_line(row)))
    # Channels by name and id ("#general (C0123)"), else by their labelled id.
    for label, channel in (
        (t("admin.field.digest_channel"), survey.digest_channel),
        (t("admin.field.alert_channel"), survey.alert_channel),
    ):
        title = named.names.get(channel or "")
        if channel and title:
            value = t("admin.status.channel_named", name=title, channel=channel)
            out().print(Text(f"{label}: {value}"))
        else:
            out().print(Text(_line(channel_row(t, label, channel))))
    if named.problem is not None:
        err().print(Text(f"channel names not shown: {named.problem}"), soft_wrap=True)
    if found.wave is None:
        out().print("no wave yet")
        return
    wave = found.wave
    out().print(
        f"newest wave: {wave.status}, {wave.opens_at:%Y-%m-%d} to {wave.closes_at:%Y-%m-%d}"
    )
    for state, number in sorted(found.invitations.items()):
        out().print(f"  {state}: {number}")


def _line(row: ReportRow) -> str:
    return f"{row.label}: {row.value}"
