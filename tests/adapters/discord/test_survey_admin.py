"""``/nps survey create|edit|list|status|start|close|delete`` through the real discord.py client."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from adapters.discord.cli import sync_commands
from bot.domain.labels import LABEL_LIMIT
from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.admin import Setting
from storage.models import Survey
from tests.adapters.discord.world import (
    ADMIN,
    ALICE,
    FEEDBACK,
    GENERAL,
    GUILD,
    MEMBERS,
    connected,
)
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_payloads import guild_channel_payload, role_payloads
from tests.doubles.discord_records import CHANNEL_MESSAGE, UPDATE_MESSAGE

ROLE_OPTION, CHANNEL_OPTION = 8, 7
REFUSAL = "Only survey admins can manage surveys."


def survey_command(
    double: DiscordDouble,
    sub: str,
    *,
    user: Any,
    options: dict[str, Any] | None = None,
    role: Any = None,
    channel: Any = None,
    alert_channel: Any = None,
) -> dict[str, Any]:
    """``/nps survey <sub> …`` as Discord sends it, with role/channel options resolved."""
    payload = double.payloads.slash_command(
        f"nps survey {sub}", user=user, guild=GUILD, options=options or {}
    )
    [group] = payload["data"]["options"]
    [leaf] = group["options"]
    resolved: dict[str, Any] = {}
    if role is not None:
        leaf["options"].append({"name": "role", "type": ROLE_OPTION, "value": str(role.id)})
        [role_json] = [r for r in role_payloads(GUILD, double.bot) if r["id"] == str(role.id)]
        resolved["roles"] = {str(role.id): role_json}
    for option, picked in (("digest_channel", channel), ("alert_channel", alert_channel)):
        if picked is None:
            continue
        leaf["options"].append({"name": option, "type": CHANNEL_OPTION, "value": str(picked.id)})
        channel_json = {**guild_channel_payload(GUILD, picked), "permissions": "0"}
        resolved.setdefault("channels", {})[str(picked.id)] = channel_json
    if resolved:
        payload["data"]["resolved"] = resolved
    return payload


async def stored(services: Services) -> list[Survey]:
    async with services.database.transaction() as session:
        return list((await session.execute(select(Survey))).scalars())


def discord_admin() -> Person:
    return Person(platform="discord", tenant=str(GUILD.id), user_id=str(ADMIN.id), is_admin=True)


async def test_the_commands_are_typed_options_with_bounds_and_choices(
    double: DiscordDouble, services: Services
) -> None:
    await sync_commands(double.token, services.catalogs)
    [nps] = double.synced_commands()
    [survey] = [o for o in nps["options"] if o["name"] == "survey"]
    subcommands = {o["name"]: o for o in survey["options"]}
    assert set(subcommands) == {
        "card",
        "status",
        "create",
        "edit",
        "list",
        "start",
        "close",
        "delete",
        "share",
        "unshare",
        "shares",
    }
    share = {o["name"]: o for o in subcommands["share"]["options"]}
    assert [share[name]["type"] for name in ("name", "member", "label", "value")] == [3, 6, 3, 3]
    assert all(option["required"] for option in share.values())
    assert share["label"]["max_length"] == share["value"]["max_length"] == LABEL_LIMIT
    create = {o["name"]: o for o in subcommands["create"]["options"]}
    assert (create["role"]["type"], create["digest_channel"]["type"]) == (8, 7)
    assert (create["digest_cadence"]["type"], create["alert_channel"]["type"]) == (3, 7)
    assert (create["drivers"]["type"], create["drivers"]["max_length"]) == (3, 400)
    edit = {o["name"] for o in subcommands["edit"]["options"]}
    assert {"digest_cadence", "alert_channel", "drivers"} <= edit
    assert (create["k"]["type"], create["k"]["min_value"], create["k"]["max_value"]) == (4, 3, 100)
    assert [c["value"] for c in create["kind"]["choices"]] == ["enps", "nps"]
    assert [c["value"] for c in create["locale"]["choices"]] == ["en", "ja"]
    assert create["name"]["required"] and create["name"]["max_length"] == 64
    ja = services.catalogs.translator("ja")
    assert subcommands["delete"]["description_localizations"]["ja"] == ja("admin.discord.delete")


async def test_an_admin_creates_a_survey_with_typed_options(
    double: DiscordDouble, services: Services
) -> None:
    options = {
        "name": "community",
        "kind": "nps",
        "k": 6,
        "window_days": 10,
        "timezone": "Asia/Tokyo",
    }
    async with connected(double, services):
        record = await double.dispatch_interaction(
            survey_command(
                double, "create", user=ADMIN, options=options, role=MEMBERS, channel=FEEDBACK
            )
        )
        confirmation = await record.followups.wait_for(0)
    assert confirmation.body.ephemeral
    assert confirmation.body.content is not None
    assert 'Survey "community" created.' in confirmation.body.content
    [survey] = await stored(services)
    assert (survey.kind, survey.k_min, survey.window_days, survey.timezone) == (
        "nps",
        6,
        10,
        "Asia/Tokyo",
    )
    assert survey.audience == {"role": str(MEMBERS.id)}
    assert survey.digest_channel == str(FEEDBACK.id)


async def test_digest_cadence_alert_channel_and_drivers_are_options(
    double: DiscordDouble, services: Services
) -> None:
    options = {
        "name": "community",
        "digest_cadence": "0 9 * * mon",
        "drivers": "growth=Growth, manager=My manager",
    }
    async with connected(double, services):
        record = await double.dispatch_interaction(
            survey_command(double, "create", user=ADMIN, options=options, alert_channel=GENERAL)
        )
        confirmation = await record.followups.wait_for(0)
        assert 'Survey "community" created.' in str(confirmation.body.content)
        [survey] = await stored(services)
        assert (survey.digest_cadence, survey.alert_channel) == ("0 9 * * mon", str(GENERAL.id))
        assert survey.digest_channel is None
        assert survey.drivers == [
            {"key": "growth", "label": "Growth"},
            {"key": "manager", "label": "My manager"},
        ]

        edited = await double.dispatch_interaction(
            survey_command(
                double,
                "edit",
                user=ADMIN,
                options={"name": "community", "drivers": "pay=Pay", "digest_cadence": "0 8 1 * *"},
                alert_channel=FEEDBACK,
            )
        )
        assert 'Survey "community" updated' in str(
            (await edited.followups.wait_for(0)).body.content
        )
        refused = await double.dispatch_interaction(
            survey_command(
                double, "edit", user=ADMIN, options={"name": "community", "drivers": "a=A, a=B"}
            )
        )
        refusal = await refused.followups.wait_for(0)
    assert 'The driver key "a" is used twice.' in str(refusal.body.content)
    [survey] = await stored(services)
    assert (survey.digest_cadence, survey.alert_channel) == ("0 8 1 * *", str(FEEDBACK.id))
    assert survey.drivers == [{"key": "pay", "label": "Pay"}]


async def test_a_refused_setting_is_explained_and_nothing_is_stored(
    double: DiscordDouble, services: Services
) -> None:
    options = {"name": "community", "cadence": "every tuesday"}
    async with connected(double, services):
        record = await double.dispatch_interaction(
            survey_command(double, "create", user=ADMIN, options=options)
        )
        refusal = await record.followups.wait_for(0)
    assert "is not a valid crontab line" in str(refusal.body.content)
    assert await stored(services) == []


async def test_each_refused_option_is_named_as_the_command_spells_it(
    double: DiscordDouble, services: Services
) -> None:
    options = {"name": "community", "k": 2, "cadence": "* * * * *"}
    async with connected(double, services):
        record = await double.dispatch_interaction(
            survey_command(double, "create", user=ADMIN, options=options)
        )
        refusal = str((await record.followups.wait_for(0)).body.content)
    first, second = refusal.splitlines()
    # Discord's option is ``k``, not the setting's ``k_min``: what the admin typed.
    assert first.endswith(" k: Enter a number from 3 to 100.")
    assert second.startswith("cadence: ") and "more than once a day" in second
    assert await stored(services) == []


async def test_people_who_are_not_admins_are_refused_by_the_check(
    double: DiscordDouble, services: Services
) -> None:
    await services.admin.create(discord_admin(), {Setting.NAME: "pulse"})
    async with connected(double, services):
        create = await double.dispatch_interaction(
            survey_command(double, "create", user=ALICE, options={"name": "mine"})
        )
        refused = await create.callback()
        listing = await double.dispatch_interaction(survey_command(double, "list", user=ALICE))
        listed = await listing.callback()
    for answer in (refused, listed):
        assert answer.type == CHANNEL_MESSAGE and answer.message.ephemeral
        assert REFUSAL in str(answer.message.content)
    assert [survey.name for survey in await stored(services)] == ["pulse"]


async def test_edit_lowering_k_after_answers_is_refused_with_the_reason(
    double: DiscordDouble, services: Services
) -> None:
    await services.admin.create(discord_admin(), {Setting.NAME: "pulse"})
    [survey] = await stored(services)
    alice = Person(platform="discord", tenant=str(GUILD.id), user_id=str(ALICE.id))
    await services.engine.record_score(alice, survey_id=str(survey.id), score=9)
    async with connected(double, services):
        record = await double.dispatch_interaction(
            survey_command(double, "edit", user=ADMIN, options={"name": "pulse", "k": 3})
        )
        refusal = await record.followups.wait_for(0)
    assert "k cannot go below 5" in str(refusal.body.content)
    [survey] = await stored(services)
    assert survey.k_min == 5


async def test_delete_asks_with_buttons_and_only_an_admins_click_deletes(
    double: DiscordDouble, services: Services
) -> None:
    await services.admin.create(discord_admin(), {Setting.NAME: "pulse"})
    async with connected(double, services):
        record = await double.dispatch_interaction(
            survey_command(double, "delete", user=ADMIN, options={"name": "pulse"})
        )
        question = await record.followups.wait_for(0)
        assert question.body.ephemeral and "cannot be undone" in str(question.body.content)
        assert question.body.custom_ids() == ["nps:survey:delete:pulse", "nps:survey:keep:pulse"]

        forged = await double.dispatch_interaction(
            double.payloads.button_click(
                "nps:survey:delete:pulse", user=ALICE, guild=GUILD, message=question.message
            )
        )
        refused = await forged.callback()
        assert refused.type == UPDATE_MESSAGE and REFUSAL in str(refused.message.content)
        assert len(await stored(services)) == 1

        click = await double.dispatch_interaction(
            double.payloads.button_click(
                "nps:survey:delete:pulse", user=ADMIN, guild=GUILD, message=question.message
            )
        )
        done = await click.callback()
    assert done.type == UPDATE_MESSAGE and done.message.components == []
    assert 'Survey "pulse" deleted' in str(done.message.content)
    assert await stored(services) == []


async def test_list_and_status_answer_privately(double: DiscordDouble, services: Services) -> None:
    await services.admin.create(discord_admin(), {Setting.NAME: "pulse"})
    async with connected(double, services):
        listing = await double.dispatch_interaction(survey_command(double, "list", user=ADMIN))
        listed = await listing.followups.wait_for(0)
        status = await double.dispatch_interaction(
            survey_command(double, "status", user=ADMIN, options={"name": "pulse"})
        )
        shown = await status.followups.wait_for(0)
    assert listed.body.ephemeral and "pulse" in str(listed.body.embeds)
    assert shown.body.ephemeral and "pulse" in str(shown.body.embeds)


async def test_status_names_its_channels_as_mentions(
    double: DiscordDouble, services: Services
) -> None:
    channel = str(FEEDBACK.id)
    values = {
        Setting.NAME: "pulse",
        Setting.DIGEST_CHANNEL: channel,
        Setting.ALERT_CHANNEL: channel,
    }
    await services.admin.create(discord_admin(), values)
    async with connected(double, services):
        status = await double.dispatch_interaction(
            survey_command(double, "status", user=ADMIN, options={"name": "pulse"})
        )
        shown = await status.followups.wait_for(0)
    [embed] = shown.body.embeds
    text = "\n".join(field["value"] for field in embed["fields"])
    assert f"Digest channel: **<#{channel}>**" in text
    assert f"Alert channel: **<#{channel}>**" in text
    assert channel not in text.replace(f"<#{channel}>", "")


async def test_start_and_close_run_a_wave_of_the_role_in_this_server(
    double: DiscordDouble, services: Services
) -> None:
    role = {Setting.AUDIENCE: "role", Setting.AUDIENCE_TARGET: str(MEMBERS.id)}
    await services.admin.create(discord_admin(), {Setting.NAME: "pulse", **role})
    async with connected(double, services, members_intent=True):
        start = await double.dispatch_interaction(
            survey_command(double, "start", user=ADMIN, options={"name": "pulse"})
        )
        started = await start.followups.wait_for(0)
        close = await double.dispatch_interaction(
            survey_command(double, "close", user=ADMIN, options={"name": "pulse"})
        )
        closed = await close.followups.wait_for(0)
    # Alice and Bob hold the role; the wave's delivery itself is tested with the waves.
    assert 'Survey "pulse" started: 2 people invited' in str(started.body.content)
    assert 'Survey "pulse": 1 open wave closed.' in str(closed.body.content)
