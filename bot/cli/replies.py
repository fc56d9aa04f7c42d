"""``nps-bot replies send|list``: admins' replies to comments quoted in reports.

A comment is named by the handle its report shows next to it; see
``docs/design/replies.md`` for what a reply may and may not reveal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.running import out, words
from bot.cli.survey_runs import Name, Platform, Tenant, run, tenant_named

if TYPE_CHECKING:
    from bot.runtime.services import Services
    from bot.usecases.replies import ThreadSummary

replies_app = typer.Typer(
    help="Replies to comments quoted in reports, read by their writers anonymously.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
Comment = Annotated[
    str, typer.Option("--comment", help="The comment's handle, as the report shows it.")
]
Text = Annotated[str, typer.Option("--text", help="The reply (at most 2,000 characters).")]


@replies_app.command("send")
def send(
    name: Name, comment: Comment, text: Text, platform: Platform = "console", tenant: Tenant = None
) -> None:
    """Reply to one quoted comment. Nobody is messaged: its writer reads the reply with
    the "See replies" button of their own thanks message."""

    async def work(s: Services) -> bool:
        where = await tenant_named(s, platform, tenant)
        return await s.replies.send(
            platform=platform, tenant=where, name=name, handle=comment, text=text
        )

    opened = run(work)
    t = words()
    key = "replies.cli.opened" if opened else "replies.cli.added"
    out().print(t(key, handle=comment, survey=name), highlight=False)


@replies_app.command("list")
def list_threads(name: Name, platform: Platform = "console", tenant: Tenant = None) -> None:
    """The survey's reply threads by comment handle (answers back appear after the
    periodic notice)."""
    from rich.table import Table

    from storage.replies import Author

    async def work(s: Services) -> list[ThreadSummary]:
        where = await tenant_named(s, platform, tenant)
        return await s.replies.threads(platform=platform, tenant=where, name=name)

    t = words()
    table = Table(t("replies.cli.comment"), t("replies.cli.state"), t("replies.cli.messages"))
    for thread in run(work, migrate=False):
        lines = "\n".join(
            t("replies.cli.line_admin" if who is Author.ADMIN else "replies.cli.line_respondent")
            + " "
            + text
            for who, text in thread.messages
        )
        state = t("replies.cli.closed" if thread.closed else "replies.cli.open")
        table.add_row(thread.handle, state, lines)
    out().print(table)
