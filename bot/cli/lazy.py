"""The command line's sub-apps, loaded by name: ``nps-bot run`` imports none of them.

Click's lazy-loading pattern: the root group knows each sub-app only as a module and
an attribute, and imports it, converted to a Click group, when Click asks for that
command by name (``nps-bot survey …``, or ``nps-bot --help`` listing every command with
its help). Without it, Typer builds the whole command tree, every sub-app's options
and help, before any command runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    # Typer carries its own copy of Click; its groups take that copy's types.
    from typer._click import Command, Context

SUB_APPS: dict[str, tuple[str, str]] = {
    "survey": ("bot.cli.surveys", "survey_app"),
    "people": ("bot.cli.people", "people_app"),
    "replies": ("bot.cli.replies", "replies_app"),
    "actions": ("bot.cli.actions", "actions_app"),
}
"""Each sub-command's name, with the module and attribute of its Typer app."""


class LazyGroup(TyperGroup):
    """The root group: its own commands, then the sub-apps of :data:`SUB_APPS`, each
    imported the first time it is asked for and kept from then on."""

    def list_commands(self, ctx: Context) -> list[str]:
        """The group's commands in order of creation, the sub-apps last."""
        listed = super().list_commands(ctx)
        return [*listed, *(name for name in SUB_APPS if name not in listed)]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        """The command ``cmd_name``; a sub-app is imported on the first ask."""
        found = super().get_command(ctx, cmd_name)
        if found is not None or cmd_name not in SUB_APPS:
            return found
        module, attribute = SUB_APPS[cmd_name]
        sub_app = getattr(importlib.import_module(module), attribute)
        if not isinstance(sub_app, typer.Typer):
            raise TypeError(f"{module}.{attribute} is not a Typer app")
        group = typer.main.get_group(sub_app)
        group.name = cmd_name
        self.add_command(group)
        return group
