"""``nps-bot survey …``: create, edit, list, inspect, start, close, send and delete
surveys, and share one group's report with a person.

Every verb takes ``--platform`` (an installed adapter) and ``--tenant`` (needed only
when it is not clear, see :mod:`bot.cli.scope`). Commands that reach people (start,
close, send) need a platform connection. They load the adapter plugin named by
``--platform`` (that one only) and ask it for one through
:class:`~bot.runtime.plugins.ReachProvider`; a plugin without it (the console, whose
person is at its own terminal) is refused before anything is opened.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.cli import sharing
from bot.cli.running import err, fail, out, warn, words
from bot.cli.scope import UnknownTenant
from bot.cli.survey_runs import (
    Name,
    Platform,
    Tenant,
    Unreached,
    delivering,
    run,
    tenant_named,
)
from bot.cli.survey_status import status
from bot.domain.inputs import escaped

if TYPE_CHECKING:
    from bot.ports.reach import Reach
    from bot.runtime.plugins import ReachProvider
    from bot.runtime.services import Services
    from bot.usecases.sending import Sent
    from bot.usecases.waves.delivery import DeliveryReport
    from bot.usecases.waves.opening import Opened
    from storage.deletion import Deleted

# Plain help: Typer's rich help labels every flag "<bool>".
survey_app = typer.Typer(
    help="Manage surveys that run themselves.", no_args_is_help=True, rich_markup_mode=None
)


@asynccontextmanager
async def _reach(
    services: Services,
    plugin: ReachProvider,
    platform: str,
    tenant: str | None,
    *,
    unreached: str,
) -> AsyncIterator[Reach]:
    """The connection of ``plugin``; ``tenant``, when given, must be the one it reaches.

    The platform out of reach, while connecting or inside the block, is
    :class:`Unreached` with ``unreached`` saying what became of the command's work.
    """
    from bot.ports.platform import PlatformUnreachable

    try:
        async with plugin.open_reach(services) as reach:
            if tenant is not None and reach.tenant != tenant:
                raise UnknownTenant(
                    f"the {platform} connection reaches {reach.tenant!r}, not {tenant!r}"
                )
            yield reach
    except PlatformUnreachable as error:
        raise Unreached(platform, error.detail, unreached) from None


def _drivers(text: str) -> list[dict[str, str]]:
    """``--drivers "growth=Growth,manager=My manager"`` as the survey stores it."""
    from bot.domain.drivers import hidden_label, parse_drivers

    try:
        questions = parse_drivers(text)
        hidden_label(questions)  # typed here, never carried back from a form
        return [question.to_json() for question in questions]
    except ValueError as error:
        fail(str(error), code=2)


Drivers = Annotated[
    str | None,
    typer.Option(
        help="Up to five optional 1-5 questions asked after the reason, KEY=LABEL: "
        '"growth=Growth,manager=My manager" ("" removes them).'
    ),
]


DIGITS = 100
"""The most digits a number ``--set`` reads: far past every setting's bound (which the use
case names), far below the thousands of digits ``int()`` refuses."""


def _pairs(items: list[str], *, option: str) -> dict[str, str]:
    """``KEY=VALUE`` items of ``option`` as a mapping; a key given twice is a usage error
    (which of the two was meant is not for the command to guess)."""
    found: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            fail(f"expected KEY=VALUE, got {item!r}", code=2)
        if key.strip() in found:
            # The key is any text typed: an escape in it is shown, not obeyed.
            fail(f"{option} {escaped(key.strip())} is given twice: give each once", code=2)
        found[key.strip()] = value.strip()
    return found


@survey_app.command()
def create(
    name: Name,
    platform: Platform,
    tenant: Tenant = None,
    kind: Annotated[str, typer.Option(help="nps or enps.")] = "nps",
    subject: Annotated[str, typer.Option(help="What people are asked to recommend.")] = "",
    audience: Annotated[
        list[str] | None,
        typer.Option(
            help="Audience KEY=VALUE: everyone=yes (default), channel=C123, usergroup=S123 "
            "(Slack), role=123 or users=1,2 (Discord)."
        ),
    ] = None,
    cadence: Annotated[str | None, typer.Option(help="A crontab line (survey time).")] = None,
    window_days: Annotated[int, typer.Option(help="Days a wave stays open.")] = 14,
    k: Annotated[int, typer.Option(help="Smallest group a report shows.")] = 5,
    cap: Annotated[int, typer.Option(help="Most asks per person per year.")] = 2,
    digest_channel: Annotated[str | None, typer.Option(help="Where digests go.")] = None,
    timezone: Annotated[str, typer.Option(help="The survey's time zone.")] = "UTC",
    locale: Annotated[str, typer.Option(help="en or ja.")] = "en",
    digest_cadence: Annotated[
        str | None, typer.Option(help="A crontab line for periodic digests (survey time).")
    ] = None,
    alert_channel: Annotated[
        str | None, typer.Option(help="A private admin channel for closed-loop alerts.")
    ] = None,
    drivers: Drivers = None,
) -> None:
    """Create a survey."""
    from bot.usecases.survey_settings import SurveySpec
    from bot.usecases.surveys import create_survey

    spec = SurveySpec(
        name=name,
        kind=kind,
        subject=subject,
        audience=_pairs(audience or ["everyone=yes"], option="--audience"),
        cadence=cadence,
        window_days=window_days,
        k_min=k,
        cap_max_asks=cap,
        digest_channel=digest_channel,
        timezone=timezone,
        locale=locale,
        digest_cadence=digest_cadence,
        alert_channel=alert_channel,
        drivers=_drivers(drivers or ""),
    )

    async def work(s: Services) -> None:
        await create_survey(
            s.database,
            platform=platform,
            tenant=await tenant_named(s, platform, tenant, creating=True),
            spec=spec,
            now=s.clock(),
            default_locale=s.settings.default_locale,
        )

    run(work)
    out().print(f"created survey {name}", highlight=False)


@survey_app.command()
def edit(
    name: Name,
    platform: Platform,
    tenant: Tenant = None,
    setting: Annotated[
        list[str] | None,
        typer.Option("--set", help="SETTING=VALUE, e.g. k_min=7 (repeatable)."),
    ] = None,
    drivers: Drivers = None,
) -> None:
    """Change a survey's settings."""
    from bot.usecases.surveys import edit_survey
    from bot.views.survey_form import OPTIONAL_TEXT

    changes: dict[str, Any] = {}
    for key, value in _pairs(setting or [], option="--set").items():
        if key == "audience":
            changes[key] = _pairs(value.split(","), option="--set audience") if value else {}
        elif key == "drivers":
            changes[key] = _drivers(value)
        elif key in {"window_days", "k_min", "cap_max_asks", "reminders"}:
            # ASCII digits only: str.isdigit also takes "²", which int() refuses, and
            # int() refuses thousands of digits.
            if not (value.isascii() and value.isdigit()) or len(value) > DIGITS:
                fail(f"--set {key} takes a whole number, got {value!r}", code=2)
            changes[key] = int(value)
        else:
            # Only an optional setting is cleared by an empty value; an empty subject is "".
            changes[key] = (value or None) if key in OPTIONAL_TEXT else value
    if drivers is not None:
        if "drivers" in changes:
            fail("the drivers are given twice: give --drivers or --set drivers=, not both", code=2)
        changes["drivers"] = _drivers(drivers)
    if not changes:
        fail("nothing to change: give --set SETTING=VALUE or --drivers", code=2)

    async def work(s: Services) -> None:
        where = await tenant_named(s, platform, tenant)
        await edit_survey(s.database, platform=platform, tenant=where, name=name, changes=changes)

    run(work)
    out().print(f"updated survey {name}", highlight=False)


@survey_app.command("list")
def list_() -> None:
    """List every survey."""
    from rich.table import Table

    from bot.usecases.surveys import list_surveys

    rows = run(lambda s: list_surveys(s.database), migrate=False)
    table = Table("platform", "tenant", "survey", "kind", "status", "cadence", "k")
    for survey, tenant in rows:
        table.add_row(
            tenant.platform,
            tenant.external_id,
            survey.name,
            survey.kind,
            survey.status,
            survey.cadence or "default",
            str(survey.k_min),
        )
    out().print(table)


survey_app.command("status")(status)


@survey_app.command()
def start(name: Name, platform: Platform, tenant: Tenant = None) -> None:
    """Open a wave now and deliver what is due (with a progress bar)."""
    from rich.progress import Progress

    from bot.usecases.surveys import start_survey

    plugin = delivering(platform)

    async def work(services: Services) -> tuple[Opened, DeliveryReport]:
        # Out of reach before the delivery: the wave is written only after its audience
        # was listed (bot.usecases.waves.opening), so nothing of it is stored.
        unreached = "no wave was opened and nothing was sent"
        async with _reach(services, plugin, platform, tenant, unreached=unreached) as reach:
            with Progress(console=err(), transient=True) as progress:
                task = progress.add_task("delivering", total=None)
                return await start_survey(
                    services.waves,
                    reach,
                    name=name,
                    progress=lambda done: progress.advance(task, done),
                )

    opened, report = run(work)
    summary = f"invited {opened.invited}; sent {report.sent}, failed {report.failed}"
    if report.unreachable is None:
        out().print(
            f"{summary}; the rest is delivered in working hours by the running bot",
            highlight=False,
        )
        return
    # The delivery stopped at the first call that could not reach the platform; what it
    # had claimed was given back, so every invitation not sent is pending again.
    left = (
        "the wave is open and its invitations not sent stay pending: the running bot "
        f"(nps-bot run) delivers them once {platform} answers again"
    )
    gone = Unreached(platform, report.unreachable, left)
    if report.sent == 0:
        fail(f"{summary}; {gone}")
    out().print(summary, highlight=False)
    warn(str(gone))


@survey_app.command()
def close(name: Name, platform: Platform, tenant: Tenant = None) -> None:
    """Close the survey's open waves now."""
    from bot.usecases.surveys import close_survey

    plugin = delivering(platform, verb="close")

    async def work(services: Services) -> int:
        unreached = "no wave was closed"
        async with _reach(services, plugin, platform, tenant, unreached=unreached) as reach:
            return await close_survey(services.waves, reach, name=name)

    closed = run(work)
    out().print(words().plural("cli.closed", closed), highlight=False)


@survey_app.command()
def delete(
    name: Name,
    platform: Platform,
    tenant: Tenant = None,
    yes: Annotated[bool, typer.Option("--yes", help="Delete without asking.")] = False,
) -> None:
    """Delete a survey with its waves, invitations, asks, answers and digests."""
    from bot.usecases.surveys import remove_survey

    if not yes:
        err().print(
            f"This deletes survey {name} and all its answers for good. To keep a copy, run "
            "`nps-bot export` first.",
            highlight=False,
        )
        typer.confirm(f"Delete survey {name}?", abort=True, err=True)

    async def work(s: Services) -> Deleted:
        where = await tenant_named(s, platform, tenant)
        return await remove_survey(s.database, platform=platform, tenant=where, name=name)

    deleted = run(work)
    t = words()
    out().print(
        t(
            "cli.deleted",
            name=name,
            waves=t.plural("cli.count.waves", deleted.waves),
            invitations=t.plural("cli.count.invitations", deleted.invitations),
            answers=t.plural("cli.count.answers", deleted.responses),
        ),
        highlight=False,
    )


@survey_app.command()
def send(
    name: Name,
    platform: Platform,
    to: Annotated[str, typer.Option("--to", help="The person's platform user id.")],
    tenant: Tenant = None,
) -> None:
    """Ask one person now, if they may be asked ("not eligible now" is no error; an
    unknown person or a refused message is)."""
    from bot.usecases.sending import Sent, send_one

    plugin = delivering(platform, verb=None)

    async def work(services: Services) -> Sent:
        unreached = "nothing was sent or recorded"
        async with _reach(services, plugin, platform, tenant, unreached=unreached) as reach:
            return await send_one(services.waves, reach, name=name, user_id=to)

    match run(work):
        case Sent.SENT:
            out().print("sent")
        case Sent.NOT_ELIGIBLE:
            out().print("not eligible now")
        case Sent.UNKNOWN_PERSON:
            fail(f"{platform} knows no person {to!r} (or did not answer): nothing was sent")
        case Sent.NOT_DELIVERED:
            fail(f"{platform} refused the message to {to!r}: nothing was sent or recorded")


for shared in (sharing.share, sharing.unshare, sharing.shares):
    survey_app.command()(shared)
