"""The reason modal: its custom id, the modal itself, and reading a submitted one.

The custom id ``nps:why:<guild>:<token>`` carries the guild (base 36, for DM prompts)
and the reason token, which names an answer, never a person. Modal submissions are not
matched by discord.py after a restart (it keeps open modals in memory), so the client
recognises every submit of this modal with :func:`is_reason_submit` instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import discord
from discord.ui import TextInput

from adapters.discord.people import TENANT_CODE_PATTERN, tenant_code
from adapters.discord.render import ReasonForm

REASON_INPUT = "reason"
# An abandoned modal is forgotten after this long; a later submit is still handled.
MODAL_MEMORY_SECONDS = 15 * 60
REASON_ID = re.compile(rf"nps:why:{TENANT_CODE_PATTERN}:(?P<token>[0-9A-Za-z._\-]{{1,80}})")


class ReasonModal(discord.ui.Modal):
    """One optional paragraph; its custom id carries the reason token.

    ``on_submit`` does nothing on purpose: the client hands every submit of this modal
    to ``submit_reason``, so a submit is handled the same before and after a restart.
    """

    def __init__(self, *, form: ReasonForm, custom_id: str) -> None:
        super().__init__(title=form.title, custom_id=custom_id, timeout=MODAL_MEMORY_SECONDS)
        self.add_item(
            TextInput(
                label=form.label,
                custom_id=REASON_INPUT,
                style=discord.TextStyle.paragraph,
                placeholder=form.placeholder,
                required=False,
                max_length=form.limit,
            )
        )

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        return None


def reason_custom_id(tenant: str, token: str) -> str:
    return f"nps:why:{tenant_code(tenant)}:{token}"


def is_reason_submit(interaction: discord.Interaction[Any]) -> bool:
    if interaction.type is not discord.InteractionType.modal_submit or interaction.data is None:
        return False
    return REASON_ID.fullmatch(str(interaction.data.get("custom_id", ""))) is not None


def reason_token(interaction: discord.Interaction[Any]) -> str | None:
    """The reason token of a submitted reason modal; None for any other interaction."""
    if not is_reason_submit(interaction):
        return None
    assert interaction.data is not None
    match = REASON_ID.fullmatch(str(interaction.data.get("custom_id", "")))
    return None if match is None else match["token"]


def entered_reason(components: Sequence[Mapping[str, Any]]) -> str | None:
    """The text typed into the reason input of a submitted modal's ``components``."""
    return input_values(components).get(REASON_INPUT)


def input_values(components: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """The text of every input of a submitted modal's ``components``, by custom id."""
    return {
        str(component["custom_id"]): str(component.get("value") or "")
        for component in _walk(components)
        if "custom_id" in component and "value" in component
    }


def _walk(components: Sequence[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    # Text inputs arrive inside action rows, or inside labels on newer clients.
    for component in components:
        yield component
        yield from _walk(component.get("components") or [])
        inner = component.get("component")
        if isinstance(inner, Mapping):
            yield from _walk([inner])
