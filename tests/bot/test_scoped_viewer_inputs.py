"""What ``/nps survey share`` takes in chat, on SQLite and PostgreSQL: a group that no
label can hold and a person who is no user id of the admin's platform are refused in the
admin's words, and nothing is shared; mentions as each platform writes them still are."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from bot.domain.identity import respondent_key
from bot.domain.labels import LABEL_LIMIT
from bot.domain.people import Person
from bot.runtime.services import Services
from bot.usecases.surveys import named_survey
from bot.views.common import Notice, Tone
from storage import viewers
from storage.models import ScopedViewer
from tests.bot.viewers_world import ADMIN, TENANT, run
from tests.conftest import TEST_PEPPER

DISCORD_ADMIN = Person(platform="discord", tenant="1234567890123", user_id="8" * 18, is_admin=True)
CONSOLE_ADMIN = Person(platform="console", tenant="local", user_id="ann", is_admin=True)


async def survey_of(services: Services, admin: Person) -> None:
    """The admin's workspace or server, with its default survey (asking anyone makes it)."""
    await services.engine.start(admin)


async def shares_of(services: Services) -> int:
    async with services.database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(ScopedViewer)) or 0)


GROUPS = [
    ("'team=\u202egne'", "viewers.error.characters"),  # shows as "eng" reversed
    ("'team=e\u200bng'", "viewers.error.characters"),  # shows as "eng"
    ("'te\u2066am=eng'", "viewers.error.characters"),
    ("'team=eng\ue000'", "viewers.error.characters"),
    (f"team={'x' * (LABEL_LIMIT + 1)}", "viewers.error.too_long"),
    (f"team={'x' * 10_000}", "viewers.error.too_long"),
    (f"{'t' * (LABEL_LIMIT + 1)}=eng", "viewers.error.too_long"),
]


@pytest.mark.parametrize(("group", "key"), GROUPS)
@pytest.mark.parametrize("admin", [ADMIN, CONSOLE_ADMIN], ids=["slack", "console"])
async def test_a_group_no_label_can_hold_is_refused_in_the_admins_words(
    services: Services, admin: Person, group: str, key: str
) -> None:
    await survey_of(services, admin)
    viewer = "<@U0LEAD001>"

    refused = await run(services, admin, f"survey share default {viewer} {group}")
    in_japanese = await run(
        services, replace(admin, locale="ja"), f"survey share default {viewer} {group}"
    )

    t, ja = services.catalogs.translator("en"), services.catalogs.translator("ja")
    assert refused == Notice(t(key, limit=LABEL_LIMIT), Tone.ERROR)
    assert in_japanese == Notice(ja(key, limit=LABEL_LIMIT), Tone.ERROR)
    assert await shares_of(services) == 0


@pytest.mark.parametrize(
    ("admin", "mention", "key"),
    [
        (ADMIN, "<@!0>", "viewers.error.user.slack"),
        (ADMIN, "<@0>", "viewers.error.user.slack"),
        (ADMIN, "<@u0lead001>", "viewers.error.user.slack"),
        (ADMIN, "<@C0GENERAL>", "viewers.error.user.slack"),
        (DISCORD_ADMIN, "<@!0>", "viewers.error.user.discord"),
        (DISCORD_ADMIN, "<@12345>", "viewers.error.user.discord"),
        (DISCORD_ADMIN, f"<@{'1' * 21}>", "viewers.error.user.discord"),
        (DISCORD_ADMIN, "<@U0LEAD001>", "viewers.error.user.discord"),
        (CONSOLE_ADMIN, f"<@{'a' * 10_000}>", "viewers.error.user"),
    ],
)
async def test_a_person_who_is_no_user_id_of_the_platform_is_refused(
    services: Services, admin: Person, mention: str, key: str
) -> None:
    await survey_of(services, admin)
    refused = await run(services, admin, f"survey share default {mention} team=eng")
    in_japanese = await run(
        services, replace(admin, locale="ja"), f"survey share default {mention} team=eng"
    )

    t, ja = services.catalogs.translator("en"), services.catalogs.translator("ja")
    assert refused == Notice(t(key, limit=64), Tone.ERROR)
    assert isinstance(in_japanese, Notice) and in_japanese.text == ja(key, limit=64)
    assert await shares_of(services) == 0


@pytest.mark.parametrize(
    ("admin", "mention"),
    [
        (ADMIN, "<@U0LEAD001>"),
        (ADMIN, "<@U0LEAD001|lead>"),
        (ADMIN, "<@W0LEAD001>"),
        (DISCORD_ADMIN, "<@!123456789012345678>"),
        (DISCORD_ADMIN, "<@123456789012345678>"),
        (CONSOLE_ADMIN, "<@0>"),  # the console's people are the names given to --user
        (CONSOLE_ADMIN, "<@bob>"),
    ],
)
async def test_a_mention_as_the_platform_writes_it_is_shared(
    services: Services, admin: Person, mention: str
) -> None:
    await survey_of(services, admin)
    shared = await run(services, admin, f"survey share default {mention} '部署=営業 一課'")
    ended = await run(services, admin, f"survey unshare default {mention}")

    t = services.catalogs.translator("en")
    assert shared == Notice(
        t("viewers.shared", name="default", group="部署=営業 一課"), Tone.SUCCESS
    )
    assert ended == Notice(t("viewers.revoked", name="default"), Tone.SUCCESS)


async def test_a_share_stored_for_an_id_no_one_has_can_still_be_ended(
    services: Services,
) -> None:
    """Before the ids were checked, ``<@!0>`` could be shared with on Slack: the admin can
    still end that share by the id it was given."""
    await survey_of(services, ADMIN)
    nobody = Person(platform="slack", tenant=TENANT, user_id="0")
    async with services.database.transaction() as session:
        survey = await named_survey(session, platform="slack", tenant=TENANT, name="default")
        await viewers.share(
            session,
            survey=survey,
            viewer_key=respondent_key(TEST_PEPPER.encode(), nobody),
            label="team",
            value="eng",
            today=date(2026, 3, 1),
        )

    ended = await run(services, ADMIN, "survey unshare default <@0>")

    t = services.catalogs.translator("en")
    assert ended == Notice(t("viewers.revoked", name="default"), Tone.SUCCESS)
    assert await shares_of(services) == 0
