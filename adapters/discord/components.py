"""Buttons, persistent across restarts, and the replies to interactions.

Every button is a ``DynamicItem``: its custom id is a template the client matches on any
message, however old, so a card posted last month still works after a restart. Custom ids
carry no user identity: a survey id, a score, a guild id (written base 36, for DM prompts,
where Discord sends no guild) and a reason token that names an answer, not a person.

| custom id                         | does                                              |
| --------------------------------- | ------------------------------------------------- |
| ``nps:card:<survey>``             | start a private conversation (card in a channel)  |
| ``nps:score:<guild>:<survey>:<n>`` | store score n, open the reason modal             |
| ``nps:later:<guild>``             | not now                                           |
| ``nps:stop:<guild>``              | opt out                                           |
| ``nps:why:<guild>:<token>``       | the reason modal, and the button that reopens it  |
| ``nps:rate:<guild>:<i>:<r>:<token>`` | rate driver i with r (see ``ratings.py``)      |

After an accepted reason, "See replies" is sent in a DM message of its own
(:func:`adapters.discord.replies.keep_in_dm`), where it outlasts the ephemeral thanks.

The reason modal and the reading of its submits are in :mod:`adapters.discord.reason_modal`;
discord.py does not match modal submissions after a restart (it keeps open modals in
memory), so the client calls ``submit_reason`` for every reason modal instead.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import discord
from discord.ui import Button, DynamicItem, Item

from adapters.discord.clicks import clicker, refuse_unknown_server
from adapters.discord.messages import NO_MENTIONS, MessageParts
from adapters.discord.people import TENANT_CODE_PATTERN, services_of, tenant_code, tenant_from_code
from adapters.discord.ratings import RatingButton, driver_content, driver_view
from adapters.discord.reason_modal import (
    REASON_ID,
    ReasonModal,
    entered_reason,
    reason_custom_id,
    reason_token,
)
from adapters.discord.render import (
    ReasonForm,
    card_embed,
    chart_files,
    clip,
    home_embed,
    notice_content,
    reason_form,
    report_embeds,
    score_prompt_embed,
)
from adapters.discord.replies import keep_in_dm
from bot.domain.inputs import REASON_LIMIT
from bot.views.common import (
    DriverPrompt,
    HomeView,
    Notice,
    ReasonPrompt,
    ReportView,
    ScorePrompt,
    SurveyCard,
    Tone,
    View,
)

BUTTON_LABEL_LIMIT = 80
_TENANT = TENANT_CODE_PATTERN
_SURVEY = r"(?P<survey>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"


def message_parts(view: View, *, tenant: str) -> MessageParts:
    """Any engine view as a message for the server (or a DM from it) named by ``tenant``."""
    if isinstance(view, ScorePrompt):
        return MessageParts(embeds=[score_prompt_embed(view)], view=score_prompt_view(view, tenant))
    if isinstance(view, SurveyCard):
        return MessageParts(embeds=[card_embed(view)], view=card_view(view))
    if isinstance(view, ReasonPrompt):
        # The category's prompt stays in the modal: a message may persist, the modal not.
        button = ReasonButton(tenant=tenant, token=view.token, label=view.add_label)
        return MessageParts(content=clip(view.recorded, 2000), view=_view_of(button))
    if isinstance(view, DriverPrompt):
        return MessageParts(content=driver_content(view), view=driver_view(view, tenant))
    if isinstance(view, Notice):
        return MessageParts(content=notice_content(view))
    if isinstance(view, ReportView):
        return MessageParts(embeds=report_embeds(view), files=chart_files(view))
    assert isinstance(view, HomeView)
    return MessageParts(embeds=[home_embed(view)])


async def reply(
    interaction: discord.Interaction[Any], view: View, *, tenant: str, retry_label: str = ""
) -> None:
    """Answer ``interaction`` privately with ``view`` (a follow-up when it was deferred).

    A refused reason (``Notice.retry``) gets a button, labelled ``retry_label``, that
    reopens the reason modal for the token the interaction carried.
    """
    parts = message_parts(view, tenant=tenant)
    token = reason_token(interaction)
    if isinstance(view, Notice) and view.retry and token is not None:
        button = ReasonButton(tenant=tenant, token=token, label=retry_label)
        parts = MessageParts(content=parts.content, view=_view_of(button))
    kwargs = parts.send_kwargs()
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=True, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=True, **kwargs)


SCALE_ROWS = 3
"""Rows the 0–10 scale takes (Discord fits five buttons in a row): 0–3, 4–7, 8–10."""
CONTROLS_ROW = SCALE_ROWS
"""The row of "not now" and "stop asking me", below the scale and apart from it, so the
red button never sits beside a score."""


def score_prompt_view(prompt: ScorePrompt, tenant: str) -> discord.ui.View:
    """The scale in three rows of its own, then "not now" and "stop asking me"."""
    view = discord.ui.View(timeout=None)
    per_row = math.ceil(len(prompt.scale) / SCALE_ROWS)
    for index, score in enumerate(prompt.scale):
        button = ScoreButton(
            tenant=tenant, survey_id=prompt.survey_id, score=score, row=index // per_row
        )
        view.add_item(button)
    view.add_item(LaterButton(tenant=tenant, label=prompt.not_now_label))
    view.add_item(StopButton(tenant=tenant, label=prompt.stop_label))
    return view


def card_view(card: SurveyCard) -> discord.ui.View:
    return _view_of(CardButton(survey_id=card.survey_id, label=card.button_label))


def _view_of(item: Item[Any]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(item)
    return view


def _button(
    custom_id: str,
    label: str | None,
    *,
    style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    row: int | None = None,
) -> Button[discord.ui.View]:
    text = clip(label, BUTTON_LABEL_LIMIT) if label else None
    return Button(label=text, custom_id=custom_id, style=style, row=row)


class CardButton(DynamicItem[Button[discord.ui.View]], template=rf"nps:card:{_SURVEY}"):
    """The channel card's "Answer anonymously": starts the clicker's own conversation."""

    def __init__(self, *, survey_id: str, label: str | None = None) -> None:
        super().__init__(_button(f"nps:card:{survey_id}", label, style=discord.ButtonStyle.primary))
        self.survey_id = survey_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Item[Any], match: re.Match[str], /
    ) -> CardButton:
        return cls(survey_id=match["survey"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        person = await clicker(interaction)
        if person is None:  # a card lives in a server's channel, never in a DM
            await refuse_unknown_server(interaction)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        view = await services_of(interaction).engine.start(person)
        await reply(interaction, view, tenant=person.tenant)


class ScoreButton(
    DynamicItem[Button[discord.ui.View]],
    template=rf"nps:score:{_TENANT}:{_SURVEY}:(?P<score>\d{{1,2}})",
):
    """One score. The answer is stored before anything is shown; the reason modal is the
    first response (Discord allows no modal after a deferral, so this does not defer)."""

    def __init__(self, *, tenant: str, survey_id: str, score: int, row: int | None = None) -> None:
        custom_id = f"nps:score:{tenant_code(tenant)}:{survey_id}:{score}"
        super().__init__(_button(custom_id, str(score), row=row))
        self.tenant, self.survey_id, self.score = tenant, survey_id, score

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Item[Any], match: re.Match[str], /
    ) -> ScoreButton:
        return cls(
            tenant=tenant_from_code(match["tenant"]),
            survey_id=match["survey"],
            score=int(match["score"]),
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        person = await clicker(interaction, self.tenant)
        if person is None:
            await refuse_unknown_server(interaction)
            return
        engine = services_of(interaction).engine
        view = await engine.record_score(person, survey_id=self.survey_id, score=self.score)
        if isinstance(view, ReasonPrompt):
            modal = ReasonModal(
                form=reason_form(view), custom_id=reason_custom_id(person.tenant, view.token)
            )
            await interaction.response.send_modal(modal)
            return
        await reply(interaction, view, tenant=person.tenant)


class LaterButton(DynamicItem[Button[discord.ui.View]], template=rf"nps:later:{_TENANT}"):
    """ "Not now": the prompt is replaced by the engine's answer; the ask stays open."""

    def __init__(self, *, tenant: str, label: str | None = None) -> None:
        super().__init__(_button(f"nps:later:{tenant_code(tenant)}", label, row=CONTROLS_ROW))
        self.tenant = tenant

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Item[Any], match: re.Match[str], /
    ) -> LaterButton:
        return cls(tenant=tenant_from_code(match["tenant"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        person = await clicker(interaction, self.tenant)
        if person is None:
            await refuse_unknown_server(interaction)
            return
        view = await services_of(interaction).engine.not_now(person)
        await _replace_prompt(interaction, view, tenant=self.tenant)


class StopButton(DynamicItem[Button[discord.ui.View]], template=rf"nps:stop:{_TENANT}"):
    """ "Stop asking me": opts the clicker out; the prompt is replaced by the confirmation."""

    def __init__(self, *, tenant: str, label: str | None = None) -> None:
        super().__init__(
            _button(
                f"nps:stop:{tenant_code(tenant)}",
                label,
                style=discord.ButtonStyle.danger,
                row=CONTROLS_ROW,
            )
        )
        self.tenant = tenant

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Item[Any], match: re.Match[str], /
    ) -> StopButton:
        return cls(tenant=tenant_from_code(match["tenant"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        person = await clicker(interaction, self.tenant)
        if person is None:
            await refuse_unknown_server(interaction)
            return
        view = await services_of(interaction).engine.opt_out(person)
        await _replace_prompt(interaction, view, tenant=self.tenant)


class ReasonButton(DynamicItem[Button[discord.ui.View]], template=REASON_ID.pattern):
    """Opens the reason modal again (after a refused reason, or from a DM prompt).

    The modal's words come from the catalog here: the engine's ``ReasonPrompt`` is gone
    by now and the token does not say which category prompt it had.
    """

    def __init__(self, *, tenant: str, token: str, label: str | None = None) -> None:
        super().__init__(
            _button(reason_custom_id(tenant, token), label, style=discord.ButtonStyle.primary)
        )
        self.tenant, self.token = tenant, token

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Item[Any], match: re.Match[str], /
    ) -> ReasonButton:
        return cls(tenant=tenant_from_code(match["tenant"]), token=match["token"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        services = services_of(interaction)
        person = await clicker(interaction, self.tenant)
        if person is None:
            await refuse_unknown_server(interaction)
            return
        t = services.engine.translator(person)
        form = ReasonForm(
            title=clip(t("reason.title"), 45),
            label=clip(t("reason.add"), 45),
            placeholder=None,
            limit=REASON_LIMIT,
        )
        await interaction.response.send_modal(
            ReasonModal(form=form, custom_id=reason_custom_id(person.tenant, self.token))
        )


async def submit_reason(interaction: discord.Interaction[Any]) -> None:
    """Store the reason of a submitted reason modal and thank (or ask again)."""
    assert interaction.data is not None
    match = REASON_ID.fullmatch(str(interaction.data.get("custom_id", "")))
    assert match is not None
    services = services_of(interaction)
    person = await clicker(interaction, tenant_from_code(match["tenant"]))
    if person is None:
        await refuse_unknown_server(interaction)
        return
    components: Sequence[Mapping[str, Any]] = interaction.data.get("components", [])  # type: ignore[assignment]
    text = entered_reason(components)
    view = await services.engine.record_reason(person, token=match["token"], reason=text)
    t = services.engine.translator(person)
    await reply(interaction, view, tenant=person.tenant, retry_label=t("reason.add"))
    accepted = isinstance(view, DriverPrompt) or (
        isinstance(view, Notice) and view.tone is Tone.SUCCESS
    )
    if accepted and (text or "").strip():
        # "See replies" goes where it lasts, whether the thanks or the driver questions
        # answered the modal: its reply token opens only this person's thread.
        entry = services.engine.replies_button(person, reason_token=match["token"])
        if entry is not None:
            await keep_in_dm(interaction, entry, tenant=person.tenant)


async def _replace_prompt(
    interaction: discord.Interaction[Any], view: View, *, tenant: str
) -> None:
    """Turn the clicked prompt into ``view`` so its buttons cannot be pressed again."""
    parts = message_parts(view, tenant=tenant)
    await interaction.response.edit_message(
        content=parts.content,
        embeds=list(parts.embeds),
        view=None,
        allowed_mentions=NO_MENTIONS,
    )


DYNAMIC_ITEMS = (CardButton, ScoreButton, LaterButton, StopButton, ReasonButton, RatingButton)
