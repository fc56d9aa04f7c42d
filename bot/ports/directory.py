"""What a platform offers a roster import: finding a person by email.

A roster from HR names people by email more often than by platform user id; a platform
that can resolve emails (Slack's ``users.lookupByEmail``) offers this port, and the
email never goes further than the resolution: only the respondent key computed from
the user id is stored.
"""

from __future__ import annotations

from typing import Protocol


class EmailLookup(Protocol):
    """Resolves emails to user ids in one workspace or guild."""

    @property
    def tenant(self) -> str:
        """The workspace or guild id the lookups are made in."""
        ...

    async def user_for_email(self, email: str) -> str | None:
        """The user id of the member with ``email``, None when the platform knows none.
        Any other failure (network, authorisation) raises."""
        ...
