"""Discord out of reach, said in the port's words (`PlatformUnreachable`).

discord.py has already retried what it retries (server errors, a reset connection):
a closed client, a connection that cannot be made, a timeout, or a server error still
left is an outage, not a refusal, and scheduled work logs it once rather than as a
traceback. Connecting from the command line (`connecting_to_discord`) says the same of
a gateway that cannot be reached or closes before it is ready.
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


REFUSING_CLOSE_CODES = frozenset({4004, 4013, 4014})
"""Gateway close codes that refuse the bot's own setup (its token, its intents): not an
outage, so they pass unchanged."""


@contextmanager
def connecting_to_discord() -> Iterator[None]:
    """Turn Discord being out of reach while a client logs in and connects into
    `PlatformUnreachable`: what `reaching_discord` turns, and a gateway that cannot be
    reached, has none to offer, or closes the connection. Refusals pass unchanged."""
    try:
        yield
    except discord.DiscordServerError as error:
        raise PlatformUnreachable(f"Discord answered HTTP {error.status}") from error
    except discord.ConnectionClosed as error:
        if error.code in REFUSING_CLOSE_CODES:
            raise
        raise PlatformUnreachable(
            f"the Discord gateway closed the connection (code {error.code})"
        ) from error
    except discord.GatewayNotFound as error:
        raise PlatformUnreachable("Discord named no gateway to connect to") from error
    except aiohttp.ClientConnectorError as error:
        raise PlatformUnreachable(f"cannot connect to {error.host}:{error.port}") from error
    except (aiohttp.ClientError, OSError, TimeoutError) as error:
        raise PlatformUnreachable(f"no answer from Discord ({type(error).__name__})") from error
