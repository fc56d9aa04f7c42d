"""Slack's Web API out of reach, said in the port's words (`PlatformUnreachable`).

slack_sdk has already retried what its handlers retry (`adapters.slack.client`): a
connection that could not be made, a timeout, or a server error (5xx) still left is
an outage, not a refusal, and scheduled work logs it once rather than as a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.ports.platform import PlatformUnreachable


@contextmanager
def reaching_slack() -> Iterator[None]:
    """Turn Slack being out of reach inside the block into `PlatformUnreachable`; every
    other error (a refusal, a rate limit left after retries) passes unchanged."""
    try:
        yield
    except SlackApiError as error:
        status = error.response.status_code
        if status >= 500:
            raise PlatformUnreachable(f"Slack answered HTTP {status}") from error
        raise
    except aiohttp.ClientConnectorError as error:
        raise PlatformUnreachable(f"cannot connect to {error.host}:{error.port}") from error
    except (aiohttp.ClientError, TimeoutError) as error:
        raise PlatformUnreachable(f"no answer from Slack ({type(error).__name__})") from error
