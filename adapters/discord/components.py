"""Buttons and the reason modal, persistent across restarts, and replies to interactions.

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

Modal submissions are not matched by discord.py after a restart (it keeps open modals in
memory), so ``submit_reason`` is called by the client for every reason modal instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import discord
from discord.ui import Button, DynamicItem, Item, TextInput

from adapters.discord.people import (
    admin_roles_of,
    person_from_interaction,
    services_of,
    tenant_code,
    tenant_from_code,
)
from adapters.discord.ratings import RatingButton, driver_content, driver_view
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
from bot.domain.people import Person
from bot.i18n import normalize_locale
from bot.views.common import (
    DriverPrompt,
    HomeView,
    Notice,
    ReasonPrompt,
    ReportView,
    ScorePrompt,
    SurveyCard,
    View,
)
from bot.views.prompts import REASON_LIMIT

NO_MENTIONS = discord.AllowedMentions.none()
REASON_INPUT = "reason"
BUTTON_LABEL_LIMIT = 80
# An abandoned modal is forgotten after this long; a later submit is still handled.
MODAL_MEMORY_SECONDS = 15 * 60
_TENANT = r"(?P<tenant>[0-9a-z]{1,13})"
_SURVEY = r"(?P<survey>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
REASON_ID = re.compile(rf"nps:why:{_TENANT}:(?P<token>[0-9A-Za-z._\-]{{1,80}})")


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


def message_parts(view: View, *, tenant: str) -> MessageParts:
    """Any engine view as a message for the server (or a DM from it) named by ``tenant``."""
    if isinstance(view, ScorePrompt):
        return MessageParts(embeds=[score_prompt_embed(view)], view=score_prompt_view(view, tenant))
    if isinstance(view, SurveyCard):
        return MessageParts(embeds=[card_embed(view)], view=card_view(view))
    if isinstance(view, ReasonPrompt):
        button = ReasonButton(tenant=tenant, token=view.token, label=view.add_label)
        return MessageParts(
            content=clip(f"{view.recorded}\n{view.prompt}", 2000), view=_view_of(button)
        )
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
    token = _reason_token(interaction)
    if isinstance(view, Notice) and view.retry and token is not None:
        button = ReasonButton(tenant=tenant, token=token, label=retry_label)
        parts = MessageParts(content=parts.content, view=_view_of(button))
    kwargs = parts.send_kwargs()
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=True, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=True, **kwargs)


def score_prompt_view(prompt: ScorePrompt, tenant: str) -> discord.ui.View:
    """Three rows: 0–4, 5–9, then 10, "not now" and "stop asking me"."""
    view = discord.ui.View(timeout=None)
    for score in prompt.scale:
        row = min(score // 5, 2)
        view.add_item(ScoreButton(tenant=tenant, survey_id=prompt.survey_id, score=score, row=row))
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


async def _person(
    interaction: discord.Interaction[Any], tenant: str | None = None
) -> Person | None:
    """The clicker, or None when a click in a DM names a server it may not act for.

    In a DM the server comes from the custom id, which a forged click can set to anything:
    it must be a server this bot is in and the clicker a member of it, or the click would
    act (and create a tenant) for a server the bot does not serve, or answer the survey of
    a server the clicker is not in. One member look-up, in DMs only.
    """
    if interaction.guild_id is None:
        guild = None if tenant is None else interaction.client.get_guild(int(tenant))
        if guild is None:
            return None
        try:
            await guild.fetch_member(interaction.user.id)
        except discord.HTTPException:
            return None
    return person_from_interaction(
        interaction, admin_role_ids=admin_roles_of(interaction), tenant=tenant
    )


async def _refuse_unknown_server(interaction: discord.Interaction[Any]) -> None:
    """Say privately that the click was refused; nothing else happens."""
    services = services_of(interaction)
    t = services.catalogs.translator(
        normalize_locale(str(interaction.locale), fallback=services.settings.default_locale)
    )
    await interaction.response.send_message(
        t("safety.unknown_server"), ephemeral=True, allowed_mentions=NO_MENTIONS
    )


class CardButton(DynamicItem[Button[discord.ui.View]], template=rf"nps:card:{_SURVEY}"):
    """The channel card's "Answer anonymously": starts the clicker's own conversation."""

    def __init__(self, *, survey_id: str, label: str | None = None) -> None:
        super().__init__(
            _button(f"nps:card:{survey_id}", label, style=discord.ButtonStyle.primary)
        )
        self.survey_id = survey_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Item[Any], match: re.Match[str], /
    ) -> CardButton:
        return cls(survey_id=match["survey"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        person = await _person(interaction)
        if person is None:  # a card lives in a server's channel, never in a DM
            await _refuse_unknown_server(interaction)
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
        person = await _person(interaction, self.tenant)
        if person is None:
            await _refuse_unknown_server(interaction)
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
    """"Not now": the prompt is replaced by the engine's answer; the ask stays open."""

    def __init__(self, *, tenant: str, label: str | None = None) -> None:
        super().__init__(_button(f"nps:later:{tenant_code(tenant)}", label, row=2))
        self.tenant = tenant

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Item[Any], match: re.Match[str], /
    ) -> LaterButton:
        return cls(tenant=tenant_from_code(match["tenant"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        person = await _person(interaction, self.tenant)
        if person is None:
            await _refuse_unknown_server(interaction)
            return
        view = await services_of(interaction).engine.not_now(person)
        await _replace_prompt(interaction, view, tenant=self.tenant)


class StopButton(DynamicItem[Button[discord.ui.View]], template=rf"nps:stop:{_TENANT}"):
    """"Stop asking me": opts the clicker out; the prompt is replaced by the confirmation."""

    def __init__(self, *, tenant: str, label: str | None = None) -> None:
        super().__init__(
            _button(f"nps:stop:{tenant_code(tenant)}", label, style=discord.ButtonStyle.danger,
                    row=2)
        )
        self.tenant = tenant

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Item[Any], match: re.Match[str], /
    ) -> StopButton:
        return cls(tenant=tenant_from_code(match["tenant"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        person = await _person(interaction, self.tenant)
        if person is None:
            await _refuse_unknown_server(interaction)
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
        person = await _person(interaction, self.tenant)
        if person is None:
            await _refuse_unknown_server(interaction)
            return
        t = services.catalogs.translator(
            normalize_locale(person.locale, fallback=services.settings.default_locale)
        )
        form = ReasonForm(
            title=clip(t("reason.title"), 45),
            label=clip(t("reason.add"), 45),
            placeholder=None,
            limit=REASON_LIMIT,
        )
        await interaction.response.send_modal(
            ReasonModal(form=form, custom_id=reason_custom_id(person.tenant, self.token))
        )


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


async def submit_reason(interaction: discord.Interaction[Any]) -> None:
    """Store the reason of a submitted reason modal and thank (or ask again)."""
    assert interaction.data is not None
    match = REASON_ID.fullmatch(str(interaction.data.get("custom_id", "")))
    assert match is not None
    services = services_of(interaction)
    person = await _person(interaction, tenant_from_code(match["tenant"]))
    if person is None:
        await _refuse_unknown_server(interaction)
        return
    components: Sequence[Mapping[str, Any]] = interaction.data.get("components", [])  # type: ignore[assignment]
    text = _input_values(components).get(REASON_INPUT)
    view = await services.engine.record_reason(person, token=match["token"], reason=text)
    t = services.catalogs.translator(
        normalize_locale(person.locale, fallback=services.settings.default_locale)
    )
    await reply(interaction, view, tenant=person.tenant, retry_label=t("reason.add"))


def _input_values(components: Sequence[Mapping[str, Any]]) -> dict[str, str]:
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


def _reason_token(interaction: discord.Interaction[Any]) -> str | None:
    if not is_reason_submit(interaction):
        return None
    assert interaction.data is not None
    match = REASON_ID.fullmatch(str(interaction.data.get("custom_id", "")))
    return None if match is None else match["token"]


async def _replace_prompt(
    interaction: discord.Interaction[Any], view: View, *, tenant: str
) -> None:
    """Turn the clicked prompt into ``view`` so its buttons cannot be pressed again."""
    parts = message_parts(view, tenant=tenant)
    await interaction.response.edit_message(
        content=parts.content, embeds=list(parts.embeds), view=None,
        allowed_mentions=NO_MENTIONS,
    )


DYNAMIC_ITEMS = (CardButton, ScoreButton, LaterButton, StopButton, ReasonButton, RatingButton)
