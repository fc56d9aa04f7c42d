"""Who is talking: a Discord interaction as the engine's ``Person``, labelled by the roles
an admin mapped (``/nps segments``) as the member the interaction carries holds them.

Also the small shared vocabulary of the adapter's custom ids: how a guild id is written
inside one (base 36, so a reason token and its guild fit in Discord's 100 characters).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from typing import Any

import discord

from bot.domain.labels import RoleLabel, role_values
from bot.domain.people import Person
from bot.i18n import SUPPORTED
from bot.runtime.context import Services

PLATFORM = "discord"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
TENANT_CODE_PATTERN = r"(?P<tenant>[0-9a-z]{1,13})"
"""A ``tenant_code`` in a custom id template, captured as ``tenant`` (13 digits: any
64-bit guild id)."""


def tenant_code(tenant: str) -> str:
    """A guild id written in base 36, for custom ids."""
    number = int(tenant)
    code = ""
    while True:
        number, digit = divmod(number, 36)
        code = _DIGITS[digit] + code
        if number == 0:
            return code


def tenant_from_code(code: str) -> str:
    """The guild id that ``tenant_code`` wrote."""
    return str(int(code, 36))


def services_of(interaction: discord.Interaction[Any]) -> Services:
    """The services of the client that received ``interaction``."""
    services = getattr(interaction.client, "services", None)
    if not isinstance(services, Services):
        raise TypeError("the interaction did not arrive through the nps-bot client")
    return services


def admin_roles_of(interaction: discord.Interaction[Any]) -> Collection[str]:
    """The configured admin roles (``DISCORD_ADMIN_ROLE_IDS``) of the client that received
    ``interaction``."""
    roles: Collection[str] = getattr(interaction.client, "admin_role_ids", ())
    return roles


def pick_locale(user: discord.Locale | None, guild: discord.Locale | None) -> str | None:
    """The person's own locale when the bot speaks its language, else the server's.

    Discord always sends the user's client locale; a server's preferred locale is the
    better guess when the client's language is one the bot does not speak.
    """
    for locale in (user, guild):
        if locale is not None and str(locale).split("-")[0].lower() in SUPPORTED:
            return str(locale)
    return None if user is None else str(user)


def is_admin(member: discord.Member, admin_role_ids: Collection[str]) -> bool:
    """Manage Server (or Administrator) in this server, or one of the configured roles."""
    permissions = member.guild_permissions
    if permissions.administrator or permissions.manage_guild:
        return True
    return any(str(role.id) in admin_role_ids for role in member.roles)


def person_from_interaction(
    interaction: discord.Interaction[Any],
    *,
    admin_role_ids: Collection[str],
    tenant: str | None = None,
) -> Person:
    """The person behind ``interaction``.

    In a server the tenant is the server's id. In a DM (a survey wave's prompt) it is
    ``tenant``, which the clicked component carried; without one a ``ValueError`` is
    raised. Discord exposes no time zone, so the survey's own applies.
    """
    user = interaction.user
    if interaction.guild_id is not None:
        guild_tenant = str(interaction.guild_id)
        admin = isinstance(user, discord.Member) and (
            interaction.permissions.administrator
            or interaction.permissions.manage_guild
            or is_admin(user, admin_role_ids)
        )
    elif tenant is not None:
        guild_tenant, admin = tenant, False
    else:
        raise ValueError("an interaction outside a server needs the tenant its component named")
    return Person(
        platform=PLATFORM,
        tenant=guild_tenant,
        user_id=str(user.id),
        locale=pick_locale(interaction.locale, interaction.guild_locale),
        is_admin=admin,
    )


async def labelled(person: Person, member: discord.Member | None, services: Services) -> Person:
    """``person`` with the labels the tenant's role mapping gives ``member``'s roles (the
    highest mapped role deciding each label, see :mod:`bot.domain.labels`).

    ``member`` is the one Discord already sent (an interaction in a server) or the one
    fetched to check a DM click: no further call. Without a member, no labels.
    """
    if member is None:
        return person
    mapping = await services.role_labels.of(platform=PLATFORM, tenant=person.tenant)
    if not mapping:
        return person
    return dataclasses.replace(person, segments=member_labels(member, mapping))


def member_labels(member: discord.Member, mapping: Mapping[str, RoleLabel]) -> dict[str, str]:
    """The labels ``mapping`` gives ``member``'s roles, the highest role deciding each."""
    highest_first = [str(role.id) for role in reversed(member.roles)]
    return role_values(highest_first, mapping=mapping)


def member_of(interaction: discord.Interaction[Any]) -> discord.Member | None:
    """The member behind an interaction in a server (None in a DM)."""
    user = interaction.user
    return user if isinstance(user, discord.Member) else None
