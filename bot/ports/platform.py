"""The one small port through which the engine talks back to a platform.

Use cases that start conversations on their own (waves, reminders, digests) reach
people and channels only through this protocol; each adapter implements it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from bot.domain.people import Person
from bot.views.common import View

INTERRUPTED = "interrupted"
"""The reason recorded for a send a stopped process left unconfirmed and that the
platform cannot check (see :meth:`Platform.find_direct`)."""


class DeliveryFailed(Exception):
    """A message could not be delivered and retrying will not help (DMs closed, user gone).

    ``reason`` is a short machine-readable code recorded on the invitation.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DeliveryUncertain(Exception):
    """The platform may or may not have delivered a message: its answer was lost (a
    dropped connection, a server error after the effect, a timeout).

    Sending again could show the person a second message; the caller must first ask
    :meth:`Platform.find_direct` whether the message arrived.
    """


class AudienceUnresolved(Exception):
    """The platform refused to list a survey's audience: the channel or group it names
    does not exist, or the bot may not read it. Retrying will not help until an admin
    changes the audience; ``detail`` is the platform's reason in a few words."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class PlatformUnreachable(Exception):
    """The platform could not be reached at all: no connection, a timeout, or server
    errors after the SDK's own retries, before the call could take effect.

    Nothing was done, and a later call may succeed; scheduled work stops for this tenant
    until the next run instead of trying every remaining person. ``detail`` says what
    happened in a few words, for one log line.
    """

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Platform(Protocol):
    """What the engine needs from a chat platform.

    Every implementation passes one contract (``tests/contract/test_platform_contract.py``).
    A message reference names its message in any process, so it is stored and used after
    a restart. :class:`DeliveryFailed` is final and never retried; any other error is
    not, and the caller may try again later. Every method raises
    :class:`PlatformUnreachable` when the platform cannot be reached at all.
    """

    name: str

    async def send_direct(self, user_id: str, view: View, *, nonce: str | None = None) -> str:
        """Send ``view`` privately to a person; return a reference for later updates.

        ``nonce`` is an opaque token naming no one; a platform that can attaches it to
        the message so that :meth:`find_direct` recognises the message later.
        Raises :class:`DeliveryFailed` when the person cannot be reached (DMs closed,
        person gone), with a reason that tells those apart, and
        :class:`DeliveryUncertain` when the platform's answer was lost so that the
        message may have arrived (only a platform that can answer :meth:`find_direct`
        raises it; the others retry as their SDK does).
        """
        ...

    async def find_direct(self, user_id: str, nonce: str) -> str | None:
        """The reference of a message sent to a person with ``nonce``, or None when the
        platform surely holds none (so sending it now cannot make a duplicate).

        Raises :class:`DeliveryFailed` when the platform cannot tell: the caller must
        then give the message up rather than risk sending it twice. A platform that can
        never tell always raises it; it must never answer "absent" when unsure.
        """
        ...

    async def update_message(self, reference: str, view: View) -> None:
        """Replace a message sent earlier with ``view``."""
        ...

    async def post_to_channel(self, channel: str, view: View, image: bytes | None = None) -> None:
        """Post ``view`` (with an optional PNG) to a channel everyone there can read."""
        ...

    async def list_audience(self, spec: Mapping[str, str]) -> Sequence[Person]:
        """The people a survey's audience specification names."""
        ...

    async def profile(self, user_id: str) -> Person:
        """A person as the platform describes them (locale, time zone, segments, admin)."""
        ...

    async def channel_name(self, channel_id: str) -> str | None:
        """The name people see for a channel of this tenant (``general``, without ``#``),
        or None when the platform tells none: a channel it does not know, one of another
        tenant or one it may not read, or a platform without named channels. Never a
        guess; raises nothing for a refusal, only :class:`PlatformUnreachable`."""
        ...
