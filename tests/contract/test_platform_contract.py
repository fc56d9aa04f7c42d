"""The ``Platform`` contract, held by the in-memory fake, Slack and Discord alike.

What the core relies on: a direct message reaches that person and no one else and
gets its own reference; the reference still names the message in a restarted process;
a channel post shows its view and carries its image; a channel's name is the one the
platform shows, and an unknown channel has none (never a guess); ``find_direct`` never answers
wrongly (found is the message sent with that nonce, absent means none was, and
otherwise it says it cannot tell); a person who cannot be reached raises
``DeliveryFailed`` with a short machine-readable reason.
"""

from __future__ import annotations

import re

from bot.ports.platform import DeliveryFailed, Platform
from bot.views.common import Notice, ReportSection, ReportView
from tests.contract.worlds import World

NONCE = "5f0c1e2d3b4a59687766554433221100"
OTHER_NONCE = "00112233445566778899aabbccddeeff"
PNG = b"\x89PNG\r\n\x1a\n" + b"chart" * 20
REASON_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
FOUND, ABSENT, CANNOT_TELL = "found", "absent", "cannot tell"


async def lookup(platform: Platform, user_id: str, nonce: str) -> tuple[str, str | None]:
    """``find_direct``'s answer as one value: found (the reference), absent, or cannot
    tell (the reason)."""
    try:
        reference = await platform.find_direct(user_id, nonce)
    except DeliveryFailed as failure:
        return CANNOT_TELL, failure.reason
    return (ABSENT, None) if reference is None else (FOUND, reference)


async def failure_of(platform: Platform, user_id: str) -> str:
    """The reason ``send_direct`` to ``user_id`` fails with."""
    try:
        await platform.send_direct(user_id, Notice("hello"))
    except DeliveryFailed as failure:
        return failure.reason
    raise AssertionError(f"a message to {user_id} was delivered")


async def test_a_direct_message_reaches_that_person_only_with_its_own_reference(
    world: World,
) -> None:
    first = await world.platform.send_direct(world.person, Notice("first note"))
    second = await world.platform.send_direct(world.person, Notice("second note"))

    shown = world.shown_to(world.person)
    assert len(shown) == 2
    assert "first note" in shown[0] and "second note" in shown[1]
    assert first != second
    assert world.shown_to(world.other) == []


async def test_an_update_replaces_the_message_its_reference_names_even_after_a_restart(
    world: World,
) -> None:
    first = await world.platform.send_direct(world.person, Notice("first note"))
    await world.platform.send_direct(world.person, Notice("second note"))

    await world.restarted().update_message(first, Notice("survey closed"))

    shown = world.shown_to(world.person)
    assert len(shown) == 2
    assert "survey closed" in shown[0] and "first note" not in shown[0]
    assert "second note" in shown[1]


async def test_a_channel_post_shows_its_view_and_carries_its_image(world: World) -> None:
    report = ReportView(
        title="Weekly digest",
        headline="NPS +20",
        sections=(ReportSection(title="Reasons", notes=("Faster builds",)),),
    )

    await world.platform.post_to_channel(world.channel, report, image=PNG)

    [post] = world.posts_in(world.channel)
    for words in ("Weekly digest", "NPS +20", "Reasons", "Faster builds"):
        assert words in post
    assert world.images_in(world.channel) == [PNG]
    assert world.shown_to(world.person) == []


async def test_a_channel_post_without_an_image_carries_none(world: World) -> None:
    await world.platform.post_to_channel(world.channel, Notice("no chart this week"))

    [post] = world.posts_in(world.channel)
    assert "no chart this week" in post
    assert world.images_in(world.channel) == []


async def test_find_direct_names_the_message_sent_with_the_nonce_after_a_restart(
    world: World,
) -> None:
    reference = await world.platform.send_direct(world.person, Notice("invitation"), nonce=NONCE)
    await world.platform.send_direct(world.person, Notice("a later note"))

    answer = await lookup(world.restarted(), world.person, NONCE)

    assert answer == ((FOUND, reference) if world.tells else (CANNOT_TELL, world.unreadable_reason))


async def test_find_direct_is_sure_of_absence_only_when_no_message_carries_the_nonce(
    world: World,
) -> None:
    await world.platform.send_direct(world.person, Notice("another invitation"), nonce=OTHER_NONCE)
    await world.platform.send_direct(world.person, Notice("a plain note"))
    await world.platform.send_direct(world.other, Notice("their invitation"), nonce=NONCE)

    answer = await lookup(world.restarted(), world.person, NONCE)
    never_sent = await lookup(world.restarted(), world.other, OTHER_NONCE)

    expected = (ABSENT, None) if world.tells else (CANNOT_TELL, world.unreadable_reason)
    assert answer == never_sent == expected


async def test_find_direct_raises_delivery_failed_when_it_cannot_read_the_dm(
    world: World,
) -> None:
    answer = await lookup(world.restarted(), world.unreadable, NONCE)

    assert answer == (CANNOT_TELL, world.unreadable_reason)
    assert answer[1] is not None and REASON_CODE.match(answer[1])


async def test_closed_dms_raise_delivery_failed_with_the_platform_reason(world: World) -> None:
    reason = await failure_of(world.platform, world.closed)

    assert reason == world.closed_reason
    assert REASON_CODE.match(reason)
    assert world.shown_to(world.closed) == []


async def test_a_person_who_is_gone_raises_delivery_failed_with_the_platform_reason(
    world: World,
) -> None:
    reason = await failure_of(world.platform, world.gone)

    assert reason == world.gone_reason
    assert REASON_CODE.match(reason)
    assert reason != world.closed_reason  # the invitation records which of the two it was


async def test_a_channel_is_named_as_the_platform_names_it(world: World) -> None:
    assert await world.platform.channel_name(world.channel) == world.channel_title


async def test_an_unknown_channel_has_no_name(world: World) -> None:
    assert await world.platform.channel_name(world.unknown_channel) is None
