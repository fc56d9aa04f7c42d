"""Driver questions after the reason: an ephemeral message with one row of 1–5 buttons
per driver (at most five rows of five), persistent across restarts.

A rating button's custom id is ``nps:rate:<guild>:<driver position>:<rating>:<token>``
(at most 89 characters): the guild (base 36, for DM prompts), where the driver sits in
the survey's list, the rating and the opaque reason token. No identity: only the person
whose token it is can rate with it, and only until it expires. A click stores the
rating and edits the message to show it chosen; a refusal is answered privately.
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord.ui import Button, DynamicItem, Item

from adapters.discord.escape import escape_text
from adapters.discord.messages import NO_MENTIONS
from adapters.discord.people import (
    admin_roles_of,
    person_from_interaction,
    services_of,
    tenant_code,
    tenant_from_code,
)
from adapters.discord.render import CONTENT_LIMIT, clip, notice_content
from bot.views.common import DriverPrompt, Notice

RATE_ID = re.compile(
    r"nps:rate:(?P<tenant>[0-9a-z]{1,13}):(?P<driver>[0-4]):(?P<rating>[1-5])"
    r":(?P<token>[0-9A-Za-z_\-]{1,64})"
)


def rating_custom_id(tenant: str, driver: int, rating: int, token: str) -> str:
    return f"nps:rate:{tenant_code(tenant)}:{driver}:{rating}:{token}"


def driver_content(prompt: DriverPrompt) -> str:
    """What was recorded, the intro, the scale's ends, then the drivers numbered in the
    order of the button rows, each with its chosen rating. Labels are escaped."""
    lines = [prompt.recorded, prompt.intro, f"{prompt.low_label} · {prompt.high_label}"]
    for index, driver in enumerate(prompt.drivers, start=1):
        chosen = "–" if driver.chosen is None else str(driver.chosen)
        lines.append(f"{index}. {escape_text(driver.label)}: {chosen}")
    return clip("\n".join(lines), CONTENT_LIMIT)


def driver_view(prompt: DriverPrompt, tenant: str) -> discord.ui.View:
    """One row per driver, a button per rating; the chosen rating is highlighted."""
    view = discord.ui.View(timeout=None)
    for index, driver in enumerate(prompt.drivers[:5]):
        for rating in prompt.scale:
            chosen = rating == driver.chosen
            view.add_item(
                RatingButton(
                    tenant=tenant, driver=index, rating=rating, token=prompt.token, chosen=chosen
                )
            )
    return view


class RatingButton(DynamicItem[Button[discord.ui.View]], template=RATE_ID.pattern):
    """One rating of one driver; a click records it (a later click changes it)."""

    def __init__(
        self, *, tenant: str, driver: int, rating: int, token: str, chosen: bool = False
    ) -> None:
        style = discord.ButtonStyle.primary if chosen else discord.ButtonStyle.secondary
        super().__init__(
            Button(
                label=str(rating),
                custom_id=rating_custom_id(tenant, driver, rating, token),
                style=style,
                row=driver,
            )
        )
        self.tenant, self.driver, self.rating, self.token = tenant, driver, rating, token

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Item[Any], match: re.Match[str], /
    ) -> RatingButton:
        return cls(
            tenant=tenant_from_code(match["tenant"]),
            driver=int(match["driver"]),
            rating=int(match["rating"]),
            token=match["token"],
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        services = services_of(interaction)
        person = person_from_interaction(
            interaction,
            admin_role_ids=admin_roles_of(interaction),
            tenant=self.tenant,
        )
        view = await services.engine.record_rating(
            person, token=self.token, driver=self.driver, rating=self.rating
        )
        if isinstance(view, DriverPrompt):
            await interaction.response.edit_message(
                content=driver_content(view),
                view=driver_view(view, person.tenant),
                allowed_mentions=NO_MENTIONS,
            )
            return
        assert isinstance(view, Notice)
        await interaction.response.send_message(
            notice_content(view), ephemeral=True, allowed_mentions=NO_MENTIONS
        )
