"""An audience is refused when it is given if its platform could not resolve it when a
wave opens: the wrong kind, a target that is no id, a Discord id that is no number."""

from __future__ import annotations

import pytest

from bot.domain.audiences import (
    ID_LIMIT,
    USERS_LIMIT,
    AudienceFault,
    audience_fault,
    is_user_id,
)

HUNDREDS = ",".join(str(10**17 + n) for n in range(USERS_LIMIT))


@pytest.mark.parametrize(
    ("platform", "audience", "fault"),
    [
        ("slack", {"everyone": "yes"}, None),
        ("slack", {"channel": "C0GENERAL"}, None),
        ("slack", {"usergroup": "S0123ABCD"}, None),
        ("discord", {"role": "112233445566778899"}, None),
        ("discord", {"users": "1,22,333"}, None),
        ("discord", {"users": HUNDREDS}, None),
        ("console", {"everyone": "yes"}, None),
        ("teams", {"team": "19:abc"}, None),  # an installed adapter's own kind
        ("teams", {"team": "T-42"}, None),
        ("slack", {}, AudienceFault.SHAPE),
        ("slack", {"channel": "C1", "usergroup": "S1"}, AudienceFault.SHAPE),
        ("slack", {"role": "1"}, AudienceFault.KIND),
        ("slack", {"bogus": "1"}, AudienceFault.KIND),
        ("discord", {"everyone": "yes"}, None),
        ("discord", {"channel": "1"}, AudienceFault.KIND),
        ("console", {"channel": "C1"}, AudienceFault.KIND),
        ("slack", {"everyone": "no"}, AudienceFault.EVERYONE),
        ("slack", {"everyone": ""}, AudienceFault.EVERYONE),
        ("slack", {"channel": ""}, AudienceFault.TARGET),
        ("slack", {"channel": "C1 C2"}, AudienceFault.TARGET),
        ("slack", {"channel": "C1\n"}, AudienceFault.TARGET),
        ("slack", {"channel": "<!channel>"}, AudienceFault.TARGET),
        ("slack", {"channel": "C" * (ID_LIMIT + 1)}, AudienceFault.TARGET),
        ("slack", {"channel": "Ｃ１"}, AudienceFault.TARGET),  # full-width, not ASCII
        ("discord", {"role": "abc"}, AudienceFault.NUMBER),
        ("discord", {"role": "9" * 21}, AudienceFault.NUMBER),
        ("discord", {"users": "1,,2"}, AudienceFault.TARGET),
        ("discord", {"users": "1,x"}, AudienceFault.NUMBER),
        ("discord", {"users": HUNDREDS + ",1"}, AudienceFault.USERS),
    ],
)
def test_an_audience_is_refused_for_what_its_platform_cannot_resolve(
    platform: str, audience: dict[str, str], fault: AudienceFault | None
) -> None:
    assert audience_fault(audience, platform=platform) is fault


@pytest.mark.parametrize(
    ("platform", "user", "fits"),
    [
        ("slack", "U0123ABCD", True),
        ("slack", "W0123ABCD", True),
        ("slack", "U1", True),
        ("slack", "0", False),
        ("slack", "u0123abcd", False),
        ("slack", "C0123ABCD", False),  # a channel
        ("slack", "U0123 ABCD", False),
        ("slack", "U" * (ID_LIMIT + 1), False),
        ("discord", "123456789012345678", True),
        ("discord", "1" * 15, True),
        ("discord", "1" * 20, True),
        ("discord", "0", False),
        ("discord", "1" * 14, False),
        ("discord", "1" * 21, False),
        ("discord", "U0123ABCD", False),
        ("console", "ann", True),
        ("console", "0", True),  # ``nps-bot console --user 0`` is someone
        ("console", "ann lee", False),
        ("console", "", False),
        ("console", "a" * 10_000, False),
        ("teams", "29:1a-b", True),  # an installed adapter's own ids
    ],
)
def test_a_user_id_has_the_shape_of_its_platforms_ids(platform: str, user: str, fits: bool) -> None:
    assert is_user_id(user, platform=platform) is fits
