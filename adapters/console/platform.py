"""The console as a platform: one person at a terminal, the only one it can reach.

A survey wave started on the console invites that person. Whatever the core sends while
a command runs (the question, a reminder, the "closed" update of a message, a digest
posted to a channel) is kept in order and shown after that command's own answer, so
the terminal reads top to bottom. Channels are this terminal too.

A terminal cannot do all a chat platform does, so this platform is not held to the
shared Platform contract: an update is printed anew below (a printed line cannot be
replaced), images are left out, and anyone but the person at the terminal is
unreachable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.domain.people import Person
from bot.ports.platform import INTERRUPTED, DeliveryFailed
from bot.views.common import View

PLATFORM = "console"
TENANT = "local"
UNKNOWN_USER = "unknown_user"
"""The delivery failure for anyone but the person at the terminal."""


@dataclass(frozen=True)
class Delivered:
    """A message for the terminal: ``direct`` when it was meant for the person (a DM or
    the update of one), not for a channel."""

    view: View
    direct: bool


@dataclass
class ConsolePlatform:
    """The :class:`~bot.ports.platform.Platform` of one console session."""

    person: Person
    name: str = PLATFORM
    _outbox: list[Delivered] = field(default_factory=list)
    _sent: int = 0

    def take(self) -> list[Delivered]:
        """What was sent since the last call, oldest first."""
        taken, self._outbox = self._outbox, []
        return taken

    async def send_direct(self, user_id: str, view: View, *, nonce: str | None = None) -> str:
        self._check(user_id)
        self._outbox.append(Delivered(view, direct=True))
        self._sent += 1
        return f"{PLATFORM}:{self._sent}"

    async def find_direct(self, user_id: str, nonce: str) -> str | None:
        # A terminal keeps nothing: it cannot tell what an earlier process showed.
        raise DeliveryFailed(INTERRUPTED)

    async def update_message(self, reference: str, view: View) -> None:
        self._outbox.append(Delivered(view, direct=True))

    async def post_to_channel(self, channel: str, view: View, image: bytes | None = None) -> None:
        self._outbox.append(Delivered(view, direct=False))

    async def list_audience(self, spec: Mapping[str, str]) -> Sequence[Person]:
        """The person at the terminal for "everyone"; the console has no channels,
        groups or roles, so any other audience is no one."""
        return [self.person] if "everyone" in spec else []

    async def profile(self, user_id: str) -> Person:
        self._check(user_id)
        return self.person

    async def channel_name(self, channel_id: str) -> str | None:
        # Channels are this terminal: none has a name of its own.
        return None

    def _check(self, user_id: str) -> None:
        if user_id != self.person.user_id:
            raise DeliveryFailed(UNKNOWN_USER)
