"""A message as the adapter sends it: its parts, and never a mention.

Every send, edit and client of the adapter passes :data:`NO_MENTIONS`, so text that
respondents wrote can never ping ``@everyone``, a role or a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import discord

NO_MENTIONS = discord.AllowedMentions.none()


@dataclass(frozen=True)
class MessageParts:
    """What a message shows; ``view`` holds its buttons, ``files`` its uploads."""

    content: str | None = None
    embeds: Sequence[discord.Embed] = ()
    view: discord.ui.View | None = None
    files: Sequence[discord.File] = field(default=())

    def send_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for discord.py's ``send`` methods, never allowing a mention."""
        kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if self.content is not None:
            kwargs["content"] = self.content
        if self.embeds:
            kwargs["embeds"] = list(self.embeds)
        if self.view is not None:
            kwargs["view"] = self.view
        if self.files:
            kwargs["files"] = list(self.files)
        return kwargs
