"""The platforms held to the ``Platform`` contract, each with the people it needs and a way
to see what it delivered.

Every world names the same parts: a ``person`` and an ``other`` who can be reached, a
person whose DMs are ``closed``, one who is ``gone``, one whose DM ``find_direct`` cannot
read (``unreadable``), a ``channel`` (named ``channel_title`` where the platform names
channels) and an ``unknown_channel``; the reasons are each platform's own codes.
``shown_to``, ``posts_in`` and ``images_in`` read the platform's side (the double's
records, or the fake's), never the platform object under test.
"""

from __future__ import annotations

import json
from typing import Protocol

import discord

from adapters.discord.platform import DiscordPlatform
from adapters.slack.client import build_client
from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform
from bot.ports.platform import INTERRUPTED, Platform
from tests.adapters.discord.world import ALICE, BOB, CAROL, FEEDBACK, GUILD
from tests.adapters.slack.conftest import text_objects
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_records import RecordedMessage
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser
from tests.support.recording_platform import (
    DM_CLOSED,
    USER_GONE,
    RecordingPlatform,
    view_texts,
)

SLACK_TOKEN = "xoxb-contract-test-token"


class World(Protocol):
    """A ``Platform`` under contract and the platform it talks to."""

    platform: Platform
    person: str
    other: str
    closed: str
    gone: str
    unreadable: str
    channel: str
    channel_title: str | None
    """What ``channel_name`` tells of ``channel``: its name, or None on a platform whose
    channels have none."""
    unknown_channel: str
    closed_reason: str
    gone_reason: str
    unreadable_reason: str
    tells: bool
    """True when ``find_direct`` can say "found" and "surely absent"; False when it always
    says it cannot tell (with ``unreadable_reason``), which the contract allows."""

    def restarted(self) -> Platform:
        """A new instance over the same platform, as a restarted process builds it."""
        ...

    def shown_to(self, user_id: str) -> list[str]:
        """The words of each DM the person holds now (edits applied), oldest first."""
        ...

    def posts_in(self, channel: str) -> list[str]:
        """The words of each message in ``channel``, oldest first."""
        ...

    def images_in(self, channel: str) -> list[bytes]:
        """The images shown in ``channel``, oldest first."""
        ...


class RecordingWorld:
    """The in-memory fake core tests use."""

    person = "P0PERSON"
    other = "P0OTHER"
    closed = "P0CLOSED"
    gone = "P0GONE"
    unreadable = "P0UNREAD"
    channel = "C0FEEDBACK"
    channel_title = None
    unknown_channel = "C0NOWHERE"
    closed_reason = DM_CLOSED
    gone_reason = USER_GONE
    unreadable_reason = INTERRUPTED
    tells = True

    def __init__(self) -> None:
        self.fake = RecordingPlatform(tenant="T0CONTRACT")
        for user_id in (self.person, self.other, self.closed, self.unreadable):
            self.fake.join(user_id)
        self.fake.close_dms(self.closed)
        self.fake.cannot_tell(self.unreadable)
        self.platform: Platform = self.fake

    def restarted(self) -> Platform:
        return self.fake  # it holds nothing a process would lose

    def shown_to(self, user_id: str) -> list[str]:
        return [
            " ".join(view_texts(self.fake.shown(message.reference)))
            for message in self.fake.direct_to(user_id)
        ]

    def posts_in(self, channel: str) -> list[str]:
        return [" ".join(view_texts(post.view)) for post in self.fake.posts_in(channel)]

    def images_in(self, channel: str) -> list[bytes]:
        return [post.image for post in self.fake.posts_in(channel) if post.image is not None]


class SlackWorld:
    """``SlackPlatform`` over the Web API double: closed DMs are a refused
    ``chat.postMessage``; a deactivated account is gone, and its DM cannot be opened."""

    person = "U0ANN0001"
    other = "U0BEN0001"
    closed = "U0CAT0001"
    gone = "U0GONE001"
    unreadable = gone
    channel = "C0NPSGEN1"
    channel_title = "feedback"
    unknown_channel = "C0NOWHERE1"
    closed_reason = "messages_tab_disabled"
    gone_reason = "channel_not_found"
    unreadable_reason = "user_disabled"
    tells = True

    def __init__(self, slack: SlackApiDouble) -> None:
        self.slack = slack
        slack.workspace.add_user(
            *(
                SlackUser(id=user_id, name=user_id.lower())
                for user_id in (self.person, self.other, self.closed)
            ),
            SlackUser(id=self.gone, name="gone", deleted=True),
        )
        slack.workspace.add_channel(self.channel, members=[self.person], name=self.channel_title)
        slack.faults.fail("chat.postMessage", self.closed_reason, where={"channel": self.closed})
        self.platform: Platform = self.restarted()

    def restarted(self) -> Platform:
        client = build_client(token=SLACK_TOKEN, base_url=self.slack.base_url)
        return SlackPlatform(client, people=SlackPeople(client, admin_ids=[]))

    def shown_to(self, user_id: str) -> list[str]:
        dm = self.slack.workspace.dm_channel(user_id)
        return [message.text for message in self.slack.workspace.messages_in(dm)]

    def posts_in(self, channel: str) -> list[str]:
        return [
            " ".join([message.text, *(obj["text"] for obj in text_objects(message.blocks))])
            for message in self.slack.workspace.messages_in(channel)
        ]

    def images_in(self, channel: str) -> list[bytes]:
        return [
            upload.data
            for upload in self.slack.workspace.files.values()
            if upload.channel_id == channel and upload.completed and upload.data is not None
        ]


class DiscordWorld:
    """``DiscordPlatform`` over the gateway and REST double, on the adapter's own client.

    Discord keeps no nonce it could be asked about later, so ``find_direct`` always
    says it cannot tell (``tells`` is False).
    """

    person = str(ALICE.id)
    other = str(BOB.id)
    closed = str(CAROL.id)
    gone = "800000000000000099"  # a user id Discord does not know
    unreadable = person
    channel = str(FEEDBACK.id)
    channel_title = FEEDBACK.name
    unknown_channel = "820000000000000099"  # a channel id Discord does not know
    closed_reason = "dm_closed"
    gone_reason = "unknown_user"
    unreadable_reason = INTERRUPTED
    tells = False

    def __init__(self, double: DiscordDouble, client: discord.Client) -> None:
        self.double = double
        self.client = client
        self.platform: Platform = self.restarted()

    def restarted(self) -> Platform:
        return DiscordPlatform(self.client, tenant=str(GUILD.id))

    def shown_to(self, user_id: str) -> list[str]:
        return [_words(self._latest(sent)) for sent in self.double.messages_to(int(user_id))]

    def posts_in(self, channel: str) -> list[str]:
        return [_words(sent) for sent in self.double.channel_messages(int(channel))]

    def images_in(self, channel: str) -> list[bytes]:
        return [
            upload.data
            for sent in self.double.channel_messages(int(channel))
            for upload in sent.body.files
        ]

    def _latest(self, sent: RecordedMessage) -> RecordedMessage:
        edits = [e for e in self.double.edited_messages if e.message_id == sent.message_id]
        return edits[-1] if edits else sent


def _words(message: RecordedMessage) -> str:
    return " ".join(
        [message.body.content or "", json.dumps(message.body.embeds, ensure_ascii=False)]
    )
