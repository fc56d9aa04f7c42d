"""Who a survey invites, and the channels it posts to: the rule every stored value passes.

An audience is one ``KIND=TARGET`` pair the platform's adapter resolves when a wave
opens (``everyone=yes``, ``channel=C0123ABCD``, ``role=123…``). A value the adapter
cannot resolve would fail only then, weeks after the admin set it, or, for a kind the
adapter does not know, invite no one; so it is refused when it is given. A person named
by their user id (a report shared with them) is checked for the shape of their
platform's ids (:func:`is_user_id`). Pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType

EVERYONE = "everyone"
KINDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "slack": frozenset({EVERYONE, "channel", "usergroup"}),
        "discord": frozenset({EVERYONE, "role", "users"}),
        "console": frozenset({EVERYONE}),
    }
)
"""The audience kinds each built-in adapter resolves. An installed adapter not named
here is checked for the audience's shape and target only."""
ID_LIMIT = 64
"""The longest id a target or channel may have (the columns hold 64): Slack's and
Discord's are under 25."""
USERS_LIMIT = 1000
"""The most people a ``users`` list may name; larger groups are a role."""

_ID = re.compile(r"[A-Za-z0-9_.:-]+")
# Discord ids are snowflakes: its adapter reads a role as a number.
_SNOWFLAKE = re.compile(r"[0-9]{1,20}")
_NUMERIC_KINDS = frozenset({("discord", "role"), ("discord", "users")})
_USER_IDS: Mapping[str, re.Pattern[str]] = MappingProxyType(
    {
        # Slack: U (or W, in an Enterprise Grid) and upper-case letters and digits.
        "slack": re.compile(r"[UW][A-Z0-9]+"),
        # Discord: a snowflake; 15 digits reach back to its first year, 20 hold any.
        "discord": re.compile(r"[0-9]{15,20}"),
    }
)


class AudienceFault(Enum):
    """Why an audience cannot be stored."""

    SHAPE = "shape"
    """Not exactly one ``KIND=TARGET`` pair."""
    KIND = "kind"
    """A kind the survey's platform does not resolve."""
    EVERYONE = "everyone"
    """``everyone`` with another value than ``yes``."""
    TARGET = "target"
    """A target that is no id (empty, spaces, control characters, too long)."""
    NUMBER = "number"
    """A target of a platform whose ids are numbers, given otherwise."""
    USERS = "users"
    """A ``users`` list longer than :data:`USERS_LIMIT`."""


def audience_fault(audience: Mapping[str, str], *, platform: str) -> AudienceFault | None:
    """Why ``audience`` cannot invite anyone on ``platform``, or None when it can."""
    if len(audience) != 1:
        return AudienceFault.SHAPE
    ((kind, target),) = audience.items()
    known = KINDS.get(platform)
    if known is not None and kind not in known:
        return AudienceFault.KIND
    if kind == EVERYONE:
        return None if target == "yes" else AudienceFault.EVERYONE
    targets = target.split(",") if kind == "users" else [target]
    if len(targets) > USERS_LIMIT:
        return AudienceFault.USERS
    if not all(is_platform_id(item) for item in targets):
        return AudienceFault.TARGET
    if (platform, kind) in _NUMERIC_KINDS and not all(
        _SNOWFLAKE.fullmatch(item) for item in targets
    ):
        return AudienceFault.NUMBER
    return None


def is_platform_id(value: str) -> bool:
    """Whether ``value`` can be a platform's id: 1 to :data:`ID_LIMIT` ASCII letters,
    digits and ``_ . : -``, no space or control character."""
    return len(value) <= ID_LIMIT and _ID.fullmatch(value) is not None


def is_user_id(value: str, *, platform: str) -> bool:
    """Whether ``value`` can be a person's user id on ``platform``: a Slack id
    (``U0123ABCD``, ``W0123ABCD``), a Discord snowflake of 15 to 20 digits, and on the
    console, whose people are the names typed for ``--user``, or an installed adapter,
    any platform id (:func:`is_platform_id`)."""
    shape = _USER_IDS.get(platform)
    return is_platform_id(value) and (shape is None or shape.fullmatch(value) is not None)
