"""Finding members by email for a roster import: Slack's ``users.lookupByEmail``.

One call per email (Tier 3, about 50 a minute): a rate-limited answer is retried after
its Retry-After by the client's retry handler (:mod:`adapters.slack.client`). The email
is sent to Slack and forgotten; only the user id found comes back.
"""

from __future__ import annotations

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

NOT_FOUND = "users_not_found"


class SlackEmailLookup:
    """The :class:`bot.ports.directory.EmailLookup` of one workspace (``tenant``)."""

    def __init__(self, client: AsyncWebClient, *, tenant: str) -> None:
        self._client = client
        self._tenant = tenant

    @property
    def tenant(self) -> str:
        return self._tenant

    async def user_for_email(self, email: str) -> str | None:
        try:
            answer = await self._client.users_lookupByEmail(email=email)
        except SlackApiError as error:
            if error.response.get("error") == NOT_FOUND:
                return None
            raise
        user = answer.get("user")
        if not isinstance(user, dict) or user.get("deleted") or user.get("is_bot"):
            return None
        return str(user["id"])
