"""``nps-bot <adapter> …``: the commands an adapter brings (``nps-bot discord invite-url``).

The ``nps_bot.commands`` entry point group names each such adapter's Typer app. Only
the names are read when the command line starts (package metadata); the app, and with
it the platform's SDK, is imported when one of its commands runs, so the other commands
(``nps-bot db upgrade``) never load discord.py or slack_bolt.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points

import typer

ENTRY_POINT_GROUP = "nps_bot.commands"

# The adapter's own app parses everything after its name, --help included.
_FORWARDING = {"allow_extra_args": True, "ignore_unknown_options": True}


def add_adapter_commands(app: typer.Typer) -> None:
    """Add ``nps-bot <name> …`` to ``app`` for every installed adapter app, unloaded."""
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        app.command(
            entry.name,
            help=f"Commands of the {entry.name} adapter (nps-bot {entry.name} --help).",
            context_settings=_FORWARDING,
            add_help_option=False,
        )(_forwarder(entry))


def _forwarder(entry: EntryPoint) -> Callable[[typer.Context], None]:
    def forward(ctx: typer.Context) -> None:
        commands = entry.load()
        if not isinstance(commands, typer.Typer):
            raise TypeError(f"entry point {entry.value} is not a Typer app")
        typer.main.get_command(commands).main(args=ctx.args, prog_name=ctx.command_path)

    return forward
