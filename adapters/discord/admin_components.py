"""The delete question's two buttons, persistent across restarts like every other button.

| custom id                      | does                                          |
| ------------------------------ | --------------------------------------------- |
| ``nps:survey:delete:<name>``   | delete the survey ``name`` of this server     |
| ``nps:survey:keep:<name>``     | keep it                                       |

The custom id names a survey, never a person or a server: the server is the one the
click comes from, and the use case checks that the clicker is an admin there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import discord
from discord.ui import Button, DynamicItem, Item

from adapters.discord.messages import NO_MENTIONS
from adapters.discord.people import admin_roles_of, person_from_interaction, services_of
from adapters.discord.render import clip, notice_content
from bot.domain.people import Person
from bot.views.actions import ActionForm, ActionFormErrors
from bot.views.admin import AdminView, DeleteConfirmation, FormErrors, Setting, SurveyForm
from bot.views.common import Notice, Tone, View

BUTTON_LABEL_LIMIT = 80
_NAME = r"(?P<name>.{1,64})"


def admin_person(interaction: discord.Interaction[Any]) -> Person:
    return person_from_interaction(interaction, admin_role_ids=admin_roles_of(interaction))


OPTION_OF: Mapping[Setting, str] = MappingProxyType(
    {Setting.K_MIN: "k", Setting.AUDIENCE: "role", Setting.AUDIENCE_TARGET: "role"}
)
"""The ``/nps survey`` option that sets a setting, where its name is not the setting's:
the role is Discord's audience, and the command spells ``k_min`` as ``k``."""


def _refusal(view: FormErrors | ActionFormErrors) -> str:
    """Each reason after the command option it is about (``k: …``), one a line, as
    Discord shows no reason beside its input; the form's one text when none is named."""
    if isinstance(view, FormErrors):
        named = [
            (OPTION_OF.get(setting, setting.value), text) for setting, text in view.errors.items()
        ]
    else:
        named = [(item.value, text) for item, text in view.errors.items()]
    return "\n".join(f"{option}: {text}" for option, text in named) or view.text


def shown(view: AdminView) -> View:
    """What a message can show: a form's refusal becomes an error notice."""
    if isinstance(view, FormErrors | ActionFormErrors):
        return Notice(_refusal(view), Tone.ERROR)
    if isinstance(view, ActionForm):
        # Discord sets actions with command options: say which.
        return Notice(view.typed, Tone.INFO)
    if isinstance(view, SurveyForm | DeleteConfirmation):
        # Discord sets surveys with command options and asks "delete?" with its buttons.
        raise TypeError(f"{type(view).__name__} is not a message")
    return view


def delete_question(view: DeleteConfirmation) -> dict[str, Any]:
    """``send`` keyword arguments: the question, then "delete" (danger) and "keep it"."""
    buttons = discord.ui.View(timeout=None)
    buttons.add_item(DeleteSurveyButton(name=view.survey, label=view.confirm_label))
    buttons.add_item(KeepSurveyButton(name=view.survey, label=view.cancel_label))
    return {
        "content": clip(view.question, 2000),
        "view": buttons,
        "allowed_mentions": NO_MENTIONS,
    }


def _button(custom_id: str, label: str | None, style: discord.ButtonStyle) -> Button[Any]:
    text = clip(label, BUTTON_LABEL_LIMIT) if label else None
    return Button(label=text, custom_id=custom_id, style=style)


async def _answer_in_place(interaction: discord.Interaction[Any], view: View) -> None:
    """Replace the question (and its buttons) with ``view``, so it cannot be clicked twice."""
    assert isinstance(view, Notice)
    await interaction.response.edit_message(
        content=notice_content(view), view=None, allowed_mentions=NO_MENTIONS
    )


class DeleteSurveyButton(
    DynamicItem[Button[discord.ui.View]], template=rf"nps:survey:delete:{_NAME}"
):
    """Deletes the survey named in the custom id, for an admin of the clicked server."""

    def __init__(self, *, name: str, label: str | None = None) -> None:
        super().__init__(_button(f"nps:survey:delete:{name}", label, discord.ButtonStyle.danger))
        self.name = name

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Item[Any], match: re.Match[str], /
    ) -> DeleteSurveyButton:
        return cls(name=match["name"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        admin = services_of(interaction).admin
        view = await admin.delete(admin_person(interaction), self.name)
        await _answer_in_place(interaction, shown(view))


class KeepSurveyButton(DynamicItem[Button[discord.ui.View]], template=rf"nps:survey:keep:{_NAME}"):
    """Answers "kept" and removes the question's buttons."""

    def __init__(self, *, name: str, label: str | None = None) -> None:
        super().__init__(_button(f"nps:survey:keep:{name}", label, discord.ButtonStyle.secondary))
        self.name = name

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Item[Any], match: re.Match[str], /
    ) -> KeepSurveyButton:
        return cls(name=match["name"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        admin = services_of(interaction).admin
        await _answer_in_place(interaction, admin.kept(admin_person(interaction), self.name))


ADMIN_ITEMS = (DeleteSurveyButton, KeepSurveyButton)
