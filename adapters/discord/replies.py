"""Anonymous replies in Discord: "See replies" after the reason, kept in the person's
DM, the thread, answering back in a modal and closing.

| custom id                         | does                                              |
| --------------------------------- | ------------------------------------------------- |
| ``nps:replies:<guild>:<token>``   | show the thread (ephemeral)                       |
| ``nps:replyto:<guild>:<token>``   | open the answer-back modal                        |
| ``nps:replyback:<guild>:<token>`` | the modal's submit: answer back                   |
| ``nps:replyend:<guild>:<token>``  | close the thread                                  |

The token is the person's reply token (62 characters): it names an answer, never a
person, and opens it only for them; the engine shows the same empty thread for anything
else. Every message is escaped (:func:`adapters.discord.escape.escape_text`) and sent
with no mention allowed. Like the reason modal, the answer-back modal's submits are
recognised by custom id (:func:`is_answer_submit`), so they are handled after a restart.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Self

import discord
from discord.ui import Button, DynamicItem, Item, TextInput

from adapters.discord.clicks import clicker, refuse_unknown_server
from adapters.discord.escape import escape_text
from adapters.discord.messages import NO_MENTIONS, MessageParts
from adapters.discord.people import TENANT_CODE_PATTERN, services_of, tenant_code, tenant_from_code
from adapters.discord.reason_modal import MODAL_MEMORY_SECONDS, input_values
from adapters.discord.render import clip, notice_content
from bot.domain.people import Person
from bot.views.common import Notice
from bot.views.replies import RepliesButton, RepliesView

_TOKEN = r"(?P<token>[0-9A-Za-z_\-]{1,80})"
SEE_ID = re.compile(rf"nps:replies:{TENANT_CODE_PATTERN}:{_TOKEN}")
ANSWER_ID = re.compile(rf"nps:replyto:{TENANT_CODE_PATTERN}:{_TOKEN}")
CLOSE_ID = re.compile(rf"nps:replyend:{TENANT_CODE_PATTERN}:{_TOKEN}")
SUBMIT_ID = re.compile(rf"nps:replyback:{TENANT_CODE_PATTERN}:{_TOKEN}")
_ANY_ID = re.compile(rf"nps:(?:replies|replyto|replyend):{TENANT_CODE_PATTERN}:{_TOKEN}")
ANSWER_INPUT = "answer"
CONTENT_LIMIT = 2000
LABEL_LIMIT = 80
TITLE_LIMIT = 45


def _id(kind: str, tenant: str, token: str) -> str:
    return f"nps:{kind}:{tenant_code(tenant)}:{token}"


def _button(custom_id: str, label: str | None) -> Button[discord.ui.View]:
    return Button(label=clip(label or "…", LABEL_LIMIT), custom_id=custom_id)


def see_replies_view(entry: RepliesButton, *, tenant: str) -> discord.ui.View:
    """The "See replies" button, alone under a message."""
    view = discord.ui.View(timeout=None)
    view.add_item(SeeRepliesButton(tenant=tenant, token=entry.token, label=entry.label))
    return view


async def keep_in_dm(
    interaction: discord.Interaction[Any], entry: RepliesButton, *, tenant: str
) -> None:
    """Put "See replies" where it lasts: a message of its own in the clicker's DM.

    The answer to the reason modal is ephemeral and vanishes when the client reloads; the
    DM message stays, and its button is a persistent item, so it opens the thread after
    any restart. When the DM cannot be sent (DMs closed), the button comes as a private
    follow-up instead, there until the client reloads. Call once the interaction has
    been answered.
    """
    parts = MessageParts(
        content=clip(escape_text(entry.note), CONTENT_LIMIT),
        view=see_replies_view(entry, tenant=tenant),
    )
    try:
        await interaction.user.send(**parts.send_kwargs())
    except discord.HTTPException:
        await interaction.followup.send(ephemeral=True, **parts.send_kwargs())


def thread_parts(view: RepliesView, *, tenant: str) -> MessageParts:
    """The thread as an ephemeral message, with "answer" and "close" while it is open."""
    lines = [f"**{escape_text(view.title)}**", escape_text(view.intro)]
    lines.extend(f"{escape_text(line.who)}: {escape_text(line.text)}" for line in view.lines)
    buttons = None
    if view.open:
        buttons = discord.ui.View(timeout=None)
        buttons.add_item(AnswerButton(tenant=tenant, token=view.token, label=view.answer_label))
        buttons.add_item(CloseButton(tenant=tenant, token=view.token, label=view.close_label))
    return MessageParts(content=clip("\n".join(lines), CONTENT_LIMIT), view=buttons)


class _TokenButton(DynamicItem[Button[discord.ui.View]], abc.ABC, template=_ANY_ID.pattern):
    """A button whose custom id is ``nps:<KIND>:<guild>:<token>``: built and read back
    here once. Each kind is its own subclass with its own template; this base is never
    registered, and its callback is the clicker check every kind starts with."""

    KIND: ClassVar[str]

    def __init__(self, *, tenant: str, token: str, label: str | None = None) -> None:
        super().__init__(_button(_id(self.KIND, tenant, token), label))
        self.tenant, self.token = tenant, token

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(tenant=tenant_from_code(match["tenant"]), token=match["token"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        person = await clicker(interaction, self.tenant)
        if person is None:
            await refuse_unknown_server(interaction)
            return
        await self.clicked(interaction, person)

    @abc.abstractmethod
    async def clicked(self, interaction: discord.Interaction[Any], person: Person) -> None:
        """What a click by ``person`` (checked already) does; each kind answers the
        interaction itself."""


class SeeRepliesButton(_TokenButton, template=SEE_ID.pattern):
    """Shows the thread of the answer its token names, to its writer only."""

    KIND = "replies"

    async def clicked(self, interaction: discord.Interaction[Any], person: Person) -> None:
        view = await services_of(interaction).engine.show_replies(person, token=self.token)
        await _send(interaction, view, tenant=person.tenant)


class AnswerButton(_TokenButton, template=ANSWER_ID.pattern):
    """Opens the answer-back modal (the modal must be the first response: no database)."""

    KIND = "replyto"

    async def clicked(self, interaction: discord.Interaction[Any], person: Person) -> None:
        t = services_of(interaction).engine.translator(person)
        modal = AnswerModal(
            title=clip(t("replies.title"), TITLE_LIMIT),
            label=clip(t("replies.input"), TITLE_LIMIT),
            custom_id=_id("replyback", person.tenant, self.token),
        )
        await interaction.response.send_modal(modal)


class CloseButton(_TokenButton, template=CLOSE_ID.pattern):
    """Closes the thread and shows it again, closed."""

    KIND = "replyend"

    async def clicked(self, interaction: discord.Interaction[Any], person: Person) -> None:
        view = await services_of(interaction).engine.close_replies(person, token=self.token)
        await _send(interaction, view, tenant=person.tenant)


class AnswerModal(discord.ui.Modal):
    """One paragraph; ``on_submit`` does nothing, the client hands every submit of this
    modal to :func:`submit_answer` (as for the reason modal)."""

    def __init__(self, *, title: str, label: str, custom_id: str) -> None:
        super().__init__(title=title, custom_id=custom_id, timeout=MODAL_MEMORY_SECONDS)
        self.add_item(
            TextInput(
                label=label,
                custom_id=ANSWER_INPUT,
                style=discord.TextStyle.paragraph,
                required=True,
                max_length=2000,
            )
        )

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        return None


def is_answer_submit(interaction: discord.Interaction[Any]) -> bool:
    if interaction.type is not discord.InteractionType.modal_submit or interaction.data is None:
        return False
    return SUBMIT_ID.fullmatch(str(interaction.data.get("custom_id", ""))) is not None


async def submit_answer(interaction: discord.Interaction[Any]) -> None:
    """Store the answer back of a submitted modal and show the thread again."""
    assert interaction.data is not None
    match = SUBMIT_ID.fullmatch(str(interaction.data.get("custom_id", "")))
    assert match is not None
    person = await clicker(interaction, tenant_from_code(match["tenant"]))
    if person is None:
        await refuse_unknown_server(interaction)
        return
    components: Sequence[Mapping[str, Any]] = interaction.data.get("components", [])  # type: ignore[assignment]
    text = input_values(components).get(ANSWER_INPUT, "")
    view = await services_of(interaction).engine.answer_back(
        person, token=match["token"], text=text
    )
    await _send(interaction, view, tenant=person.tenant)


async def _send(
    interaction: discord.Interaction[Any], view: RepliesView | Notice, *, tenant: str
) -> None:
    if isinstance(view, Notice):
        parts = MessageParts(content=notice_content(view))
    else:
        parts = thread_parts(view, tenant=tenant)
    kwargs = parts.send_kwargs()
    kwargs["allowed_mentions"] = NO_MENTIONS
    await interaction.response.send_message(ephemeral=True, **kwargs)


REPLY_ITEMS = (SeeRepliesButton, AnswerButton, CloseButton)
