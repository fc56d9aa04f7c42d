"""``nps-bot actions list|add|update|preview``: a survey's action plan for the operator.

The operator speaks for the tenant's admins: the same validation as in chat (every
refusal at once, each naming its option), the same storage. The owner is a platform user
id of that workspace or server, so the bot can remind them there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.running import out, words
from bot.cli.survey_runs import Name, Platform, Tenant, run, tenant_named

if TYPE_CHECKING:
    from bot.runtime.services import Services
    from storage.plan_models import ActionPlan

actions_app = typer.Typer(
    help="A survey's action plan, and the text its next wave opens with.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

Title = Annotated[str | None, typer.Option(help="What will be done.")]
Owner = Annotated[str | None, typer.Option(help="The owner's platform user id (an admin).")]
Due = Annotated[str | None, typer.Option(help="The due date, YYYY-MM-DD.")]
Status = Annotated[str | None, typer.Option(help="planned, in_progress, done or dropped.")]
Theme = Annotated[str | None, typer.Option(help="The report theme it answers.")]
Driver = Annotated[str | None, typer.Option(help="The driver key it answers.")]
Note = Annotated[str | None, typer.Option(help="A note; an empty one clears it.")]
Number = Annotated[int, typer.Option("--number", help="The action's number (#N).")]


@actions_app.command("list")
def list_actions(name: Name, platform: Platform, tenant: Tenant = None) -> None:
    """List a survey's actions by number."""
    from rich.table import Table

    async def work(s: Services) -> list[ActionPlan]:
        where = await tenant_named(s, platform, tenant)
        return await s.actions.listing(platform=platform, tenant=where, name=name)

    found = run(work, migrate=False)
    t = words()
    table = Table("#", "title", "owner", "due", "status", "about")
    for row in found:
        about = row.theme or row.driver or ""
        table.add_row(
            str(row.number),
            row.title,
            row.owner,
            row.due_on.isoformat(),
            t(f"actions.status.{row.status}"),
            about,
        )
    out().print(table)


@actions_app.command()
def add(
    name: Name,
    platform: Platform,
    title: Title = None,
    owner: Owner = None,
    due: Due = None,
    status: Status = None,
    theme: Theme = None,
    driver: Driver = None,
    note: Note = None,
    tenant: Tenant = None,
) -> None:
    """Add an action to a survey."""
    from bot.domain.actions import ActionDraft

    draft = ActionDraft(
        title=title, owner=owner, due=due, status=status, theme=theme, driver=driver, note=note
    )

    async def work(s: Services) -> ActionPlan:
        where = await tenant_named(s, platform, tenant)
        return await s.actions.add(platform=platform, tenant=where, name=name, draft=draft)

    added = run(work)
    out().print(
        words()("actions.added", number=added.number, survey=name, title=added.title),
        highlight=False,
    )


@actions_app.command()
def update(
    name: Name,
    platform: Platform,
    number: Number,
    title: Title = None,
    owner: Owner = None,
    due: Due = None,
    status: Status = None,
    theme: Theme = None,
    driver: Driver = None,
    note: Note = None,
    tenant: Tenant = None,
) -> None:
    """Change an action: only the options given change."""
    from bot.domain.actions import ActionDraft

    draft = ActionDraft(
        title=title, owner=owner, due=due, status=status, theme=theme, driver=driver, note=note
    )

    async def work(s: Services) -> ActionPlan:
        where = await tenant_named(s, platform, tenant)
        return await s.actions.update(
            platform=platform, tenant=where, name=name, number=number, draft=draft
        )

    changed = run(work)
    t = words()
    status_word = t(f"actions.status.{changed.status}")
    out().print(
        t("actions.updated", number=changed.number, survey=name, status=status_word),
        highlight=False,
    )


@actions_app.command()
def preview(
    name: Name,
    platform: Platform,
    set_text: Annotated[
        str | None, typer.Option("--set-text", help="Your own text for the next wave.")
    ] = None,
    tenant: Tenant = None,
) -> None:
    """Show (or, with --set-text, replace) the "you said, we did" text of the next wave."""

    async def work(s: Services) -> tuple[str | None, bool]:
        where = await tenant_named(s, platform, tenant)
        if set_text is not None:
            await s.notes.set_text(platform=platform, tenant=where, name=name, text=set_text)
        return await s.notes.preview(
            platform=platform, tenant=where, name=name, locale=s.settings.default_locale
        )

    text, written = run(work, migrate=set_text is not None)
    t = words()
    out().print(text or t("actions.preview.empty"), highlight=False)
    out().print(
        t("actions.preview.written" if written else "actions.preview.generated"), highlight=False
    )
