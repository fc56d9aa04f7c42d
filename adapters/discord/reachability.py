"""Discord out of reach, said in the port's words (`PlatformUnreachable`).

discord.py has already retried what it retries (server errors, a reset connection):
a closed client, a connection that cannot be made, a timeout, or a server error still
left is an outage, not a refusal, and scheduled work logs it once rather than as a
traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp
import discord

from bot.ports.platform import PlatformUnreachable


@contextmanager
def reaching_discord(client: discord.Client) -> Iterator[None]:
    """Turn Discord being out of reach inside the block into `PlatformUnreachable`; every
    other error (a refusal, an unknown user) passes unchanged."""
    if client.is_closed():
        raise PlatformUnreachable("the Discord client is disconnected")
    try:
        yield
    except discord.DiscordServerError as error:
        raise PlatformUnreachable(f"Discord answered HTTP {error.status}") from error
    except aiohttp.ClientConnectorError as error:
        raise PlatformUnreachable(f"cannot connect to {error.host}:{error.port}") from error
    except (aiohttp.ClientError, TimeoutError) as error:
        raise PlatformUnreachable(f"no answer from Discord ({type(error).__name__})") from error
