"""A scoped viewer through discord.py's real command tree on the gateway double: an
admin shares one team's report with a member (a typed member option); the member reads
it ephemerally, with its charts, and is refused every other report and survey command."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from adapters.discord.escape import escape_text
from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.common import ReportView, ScorePrompt
from tests.adapters.discord.world import (
    ADMIN,
    ALICE,
    BOB,
    GENERAL,
    GUILD,
    MEMBERS,
    card_command,
    connected,
)
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_payloads import (
    RoleSpec,
    UserSpec,
    _role_payload,
    member_payload,
    user_payload,
)
from tests.support.tables import changed_tables, snapshot

USER_OPTION = 6


def share_command(double: DiscordDouble, *, user: UserSpec, member: UserSpec) -> dict[str, Any]:
    """``/nps survey share name:default member:@member label:team value:eng``, with the
    member in ``data.resolved`` as Discord sends a user option."""
    payload = double.payloads.slash_command(
        "nps survey share",
        user=user,
        guild=GUILD,
        options={"name": "default", "member": str(member.id), "label": "team", "value": "eng"},
    )
    [group] = payload["data"]["options"]
    [share] = group["options"]
    for option in share["options"]:
        if option["name"] == "member":
            option["type"] = USER_OPTION
    spec = GUILD.member(member.id)
    assert spec is not None
    resolved_member = member_payload(spec, joined_at=datetime(2026, 1, 1, tzinfo=UTC))
    del resolved_member["user"]
    payload["data"]["resolved"] = {
        "users": {str(member.id): user_payload(member)},
        "members": {str(member.id): {**resolved_member, "permissions": "0"}},
    }
    return payload


async def labelled_answers(services: Services) -> None:
    teams = [("eng", s) for s in (10, 9, 9, 8, 3, 10)] + [("ops", s) for s in (0, 2, 6, 7, 9, 5)]
    for number, (team, score) in enumerate(teams):
        person = Person(
            platform="discord",
            tenant=str(GUILD.id),
            user_id=str(900_000_000_000_000_000 + number),
            segments={"team": team},
        )
        prompt = await services.engine.start(person)
        assert isinstance(prompt, ScorePrompt)
        await services.engine.record_score(person, survey_id=prompt.survey_id, score=score)


async def test_a_member_reads_the_shared_teams_report_and_nothing_else(
    double: DiscordDouble, services: Services
) -> None:
    await labelled_answers(services)
    t = services.catalogs.translator("en")
    async with connected(double, services):
        shared = await double.dispatch_interaction(share_command(double, user=ADMIN, member=ALICE))
        done = await shared.followups.wait_for(0)
        report = await double.dispatch_interaction(
            double.payloads.slash_command("nps report", user=ALICE, guild=GUILD)
        )
        shown = await report.followups.wait_for(0)
        answers = {}
        for command, options in (
            ("nps report", {"by": "team"}),
            ("nps report", {"survey": "other"}),
            ("nps survey shares", {"name": "default"}),
            ("nps survey list", {}),
        ):
            record = await double.dispatch_interaction(
                double.payloads.slash_command(command, user=ALICE, guild=GUILD, options=options)
            )
            answers[(command, *options.values())] = record
        self_share = await double.dispatch_interaction(
            share_command(double, user=ALICE, member=ALICE)
        )
        bob = await double.dispatch_interaction(
            double.payloads.slash_command("nps report", user=BOB, guild=GUILD)
        )
        bob_sees = await bob.followups.wait_for(0)
        by_team = await answers[("nps report", "team")].followups.wait_for(0)
        other = await answers[("nps report", "other")].followups.wait_for(0)
        checked = [
            await answers[("nps survey shares", "default")].callback(),
            await answers[("nps survey list",)].callback(),
            await self_share.callback(),
        ]

    assert t("viewers.shared", name="default", group="team=eng") in str(done.body.content)
    alice = Person(platform="discord", tenant=str(GUILD.id), user_id=str(ALICE.id))
    expected = await services.commands.handle(alice, "report")
    assert isinstance(expected, ReportView)
    assert shown.body.ephemeral
    assert shown.body.embeds[0]["title"] == escape_text(expected.title)
    assert len(shown.body.files) == len(expected.charts) > 0
    assert t("viewers.no_breakdown", group="team=eng") in str(by_team.body.content)
    assert t("report.not_allowed") in str(other.body.content)
    assert t("report.not_allowed") in str(bob_sees.body.content)
    for refusal in checked:  # the admin check of every survey subcommand
        assert refusal.message.ephemeral
        assert t("admin.not_allowed") in str(refusal.message.content)
    assert list(double.sent_messages) == [] and double.channel_messages(GENERAL.id) == []


ROLE_OPTION = 8


def role_command(
    double: DiscordDouble, sub: str, *, user: UserSpec, role: RoleSpec, **options: str
) -> dict[str, Any]:
    """``/nps segments <sub> role:@role …`` as Discord sends it (the role resolved)."""
    payload = double.payloads.slash_command(
        f"nps segments {sub}", user=user, guild=GUILD, options={"role": str(role.id), **options}
    )
    [group] = payload["data"]["options"]
    [command] = group["options"]
    for option in command["options"]:
        if option["name"] == "role":
            option["type"] = ROLE_OPTION
    payload["data"]["resolved"] = {"roles": {str(role.id): _role_payload(role)}}
    return payload


async def test_a_viewer_is_refused_every_command_but_their_report_and_nothing_is_stored(
    double: DiscordDouble, services: Services
) -> None:
    await labelled_answers(services)
    t = services.catalogs.translator("en")
    admin_only, no_roles = t("admin.not_allowed"), t("segments.not_allowed")
    refused_by_check: list[tuple[dict[str, Any], str]] = [
        *(
            (
                double.payloads.slash_command(command, user=ALICE, guild=GUILD, options=options),
                admin_only,
            )
            for command, options in (
                ("nps survey list", {}),
                ("nps survey status", {}),
                ("nps survey status", {"name": "default"}),
                ("nps survey start", {"name": "default"}),
                ("nps survey close", {"name": "default"}),
                ("nps survey delete", {"name": "default"}),
                ("nps survey edit", {"name": "default", "k": 3}),
                ("nps survey create", {"name": "mine"}),
                ("nps survey shares", {"name": "default"}),
            )
        ),
        (share_command(double, user=ALICE, member=BOB), admin_only),
        (
            double.payloads.slash_command(
                "nps survey unshare",
                user=ALICE,
                guild=GUILD,
                options={"name": "default", "member": str(ALICE.id)},
            ),
            admin_only,
        ),
        (card_command(double, user=ALICE, channel=GENERAL), admin_only),
        (double.payloads.slash_command("nps segments list", user=ALICE, guild=GUILD), no_roles),
        (
            role_command(double, "map", user=ALICE, role=MEMBERS, label="team", value="eng"),
            no_roles,
        ),
        (role_command(double, "unmap", user=ALICE, role=MEMBERS), no_roles),
    ]
    reports = {
        ("nps report", "by", "team"): t("viewers.no_breakdown", group="team=eng"),
        ("nps report", "by", "role"): t("viewers.no_breakdown", group="team=eng"),
        ("nps report", "survey", "other"): t("report.not_allowed"),
    }
    async with connected(double, services):
        shared = await double.dispatch_interaction(share_command(double, user=ADMIN, member=ALICE))
        await shared.followups.wait_for(0)
        before = await snapshot(services.database)
        refusals = []
        for payload, expected in refused_by_check:
            record = await double.dispatch_interaction(payload)
            refusals.append((payload["data"]["options"], await record.callback(), expected))
        answered = {}
        for key, expected in reports.items():
            command, option, value = key
            record = await double.dispatch_interaction(
                double.payloads.slash_command(
                    command, user=ALICE, guild=GUILD, options={option: value}
                )
            )
            answered[key] = (await record.followups.wait_for(0), expected)
        after = await snapshot(services.database)

    for options, callback, expected in refusals:
        assert callback.message.ephemeral, options
        assert expected in str(callback.message.content), options
    for key, (followup, expected) in answered.items():
        assert followup.body.ephemeral, key
        assert expected in str(followup.body.content), key
    assert changed_tables(before, after) == {}
    assert list(double.sent_messages) == [] and double.channel_messages(GENERAL.id) == []
    mapping = await services.role_labels.of(platform="discord", tenant=str(GUILD.id))
    assert mapping == {}
