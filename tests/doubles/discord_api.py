"""A local Discord double that the real discord.py client logs in to.

``DiscordDouble`` serves Discord's REST API (v10) and gateway websocket on 127.0.0.1, so
tests run discord.py's own code (login, gateway handshake, command tree, views, dynamic
items, modals, rate limiter) and only the network edge is simulated.

Pointing discord.py at the double
---------------------------------
discord.py has no public base-URL setting; its two endpoints are class attributes:
``discord.http.Route.BASE`` (every REST and interaction-webhook URL is built from it when
a request is made) and ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` (the websocket
``Client.connect`` opens first; later RESUMEs use the ``resume_gateway_url`` from READY,
which the double sets to itself). While the double is entered it sets both and restores
them on exit (``redirect_discord_py=False`` leaves them alone; ``discord_py_redirected`` does
the same for other setups). Nothing in the bot's own code is patched: the adapter builds its
``discord.Client`` exactly as in production. The ``proxy=`` and ``connector=`` options of
``discord.Client`` do not help here: Discord's URLs are ``https``/``wss``, so both would
need a TLS server with a certificate the client trusts.

Example::

    async with DiscordDouble(guilds=[guild], closed_dm_user_ids={bob.id}) as dc:
        client = discord.Client(intents=discord.Intents.default(), guild_ready_timeout=0.05)
        await client.login(dc.token)
        task = asyncio.create_task(client.connect(reconnect=False))
        await client.wait_until_ready()
        record = await dc.dispatch_interaction(
            dc.payloads.slash_command("nps start", user=alice, guild=guild)
        )
        callback = await record.callback()
        assert callback.type == 4 and callback.message.ephemeral
        await client.close()
        await task

``guild_ready_timeout`` matters: discord.py waits that long (2 s by default) after the
last GUILD_CREATE before it dispatches ``on_ready``.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from types import TracebackType
from typing import Self

import discord
import yarl
from aiohttp import web
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.support.waiting import HANG_GUARD_SECONDS, eventually

from .discord_gateway import Gateway
from .discord_interactions import InteractionFactory
from .discord_payloads import JSON, GuildSpec, UserSpec
from .discord_records import (
    CommandSync,
    InteractionRecord,
    RecordedMessage,
    RecordFeed,
    RequestLogEntry,
)
from .discord_rest import API_PREFIX, rest_middleware, rest_routes
from .discord_state import DoubleState, RateLimitFault

# Current Discord apps share one id between the application and its bot user.
DEFAULT_BOT = UserSpec(id=1_300_000_000_000_000_001, username="nps-bot", bot=True)
DEFAULT_APPLICATION_ID = 1_300_000_000_000_000_001
GATEWAY_PATH = "/ws/"


async def ready_with_guilds(client: discord.Client) -> None:
    """Wait until ``client`` is ready and holds in full every server its READY named.

    discord.py reports ready once ``guild_ready_timeout`` passed without a further
    GUILD_CREATE, so on a loaded machine it may be ready before it read a GUILD_CREATE
    the double already sent: a test that reads the client's servers waits for both.
    """
    async with asyncio.timeout(HANG_GUARD_SECONDS):
        await client.wait_until_ready()
    await eventually(
        lambda: all(not guild.unavailable for guild in client.guilds),
        what="every server's GUILD_CREATE read",
    )


@contextmanager
def discord_py_redirected(*, api_base: str, gateway_url: str) -> Iterator[None]:
    """Send discord.py's REST calls to ``api_base`` and its first gateway connection to
    ``gateway_url`` inside the block; the library's own values come back afterwards."""
    saved_base, saved_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        Route.BASE = saved_base
        DiscordWebSocket.DEFAULT_GATEWAY = saved_gateway


class DiscordDouble:
    """Discord on loopback for one test: configure the world, enter, let a client log in.

    Contract:
    - ``token`` is the only bot token accepted (401 / gateway close 4004 otherwise).
    - Known users are the bot, every guild member and ``users``; DMs open only to them.
    - Sending to the DM of a user in ``closed_dm_user_ids`` fails with 403, code 50007.
    - ``grant_members_intent=False`` refuses the members intent (close 4014) and member
      listing (403, code 50001), like an app without that privileged intent.
    - ``guild_creates=False`` sends no GUILD_CREATE after READY, whose guilds are all
      unavailable: the client is ready with servers it knows only by id (a server in an
      outage, or whose GUILD_CREATE comes after ``guild_ready_timeout``).
    - Waiting on any record feed gives up after ``wait_limit`` seconds (by default only a
      hung test comes near it).
    The client must be closed before the double exits; sockets still open then are closed
    with code 1001.
    """

    def __init__(
        self,
        *,
        token: str = "nps-bot-test-token",
        bot: UserSpec = DEFAULT_BOT,
        application_id: int = DEFAULT_APPLICATION_ID,
        guilds: Sequence[GuildSpec] = (),
        users: Iterable[UserSpec] = (),
        closed_dm_user_ids: Iterable[int] = (),
        grant_members_intent: bool = True,
        heartbeat_interval_ms: int = 41_250,
        guild_creates: bool = True,
        wait_limit: float = HANG_GUARD_SECONDS,
        redirect_discord_py: bool = True,
    ) -> None:
        self._state = DoubleState(
            token=token,
            bot=bot,
            application_id=application_id,
            guilds=guilds,
            users=users,
            closed_dm_user_ids=closed_dm_user_ids,
            grant_members_intent=grant_members_intent,
            wait_limit=wait_limit,
        )
        self._gateway = Gateway(
            self._state, heartbeat_interval_ms=heartbeat_interval_ms, guild_creates=guild_creates
        )
        self._redirect = redirect_discord_py
        self._runner: web.AppRunner | None = None
        self._exit_stack = ExitStack()
        self.payloads = InteractionFactory(
            application_id=application_id, snowflakes=self._state.snowflakes, world=self._state
        )

    # Lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        app = web.Application(middlewares=[rest_middleware(self._state)])
        app.add_routes(rest_routes(self._state, gateway_url=lambda: self._gateway.url))
        app.router.add_get(GATEWAY_PATH, self._gateway.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        await web.SockSite(self._runner, listener).start()
        origin = f"127.0.0.1:{port}"
        self._state.base_url = f"http://{origin}"
        self._gateway.url = f"ws://{origin}{GATEWAY_PATH}"
        if self._redirect:
            self._exit_stack.enter_context(
                discord_py_redirected(api_base=self.api_base_url, gateway_url=self.gateway_url)
            )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._exit_stack.close()
        await self._gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # Configuration -----------------------------------------------------------------------

    @property
    def token(self) -> str:
        return self._state.token

    @property
    def bot(self) -> UserSpec:
        return self._state.bot

    @property
    def application_id(self) -> int:
        return self._state.application_id

    @property
    def api_base_url(self) -> str:
        """What ``Route.BASE`` must be for discord.py to talk to this double."""
        return self._state.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return self._gateway.url

    def close_dms(self, user_id: int) -> None:
        """From now on, DMs to ``user_id`` fail with 403 / 50007."""
        self._state.closed_dm_user_ids.add(user_id)

    def rate_limit(
        self, route: str, *, times: int = 1, retry_after: float = 0.05, is_global: bool = False
    ) -> None:
        """Answer the next ``times`` requests on ``route`` with 429.

        ``route`` is the method and discord.py's path template, e.g.
        ``"POST /channels/{channel_id}/messages"`` or
        ``"POST /interactions/{interaction_id}/{interaction_token}/callback"``.
        """
        self._state.rate_limits.append(
            RateLimitFault(route=route, times=times, retry_after=retry_after, is_global=is_global)
        )

    # Gateway -----------------------------------------------------------------------------

    async def dispatch_interaction(self, payload: JSON) -> InteractionRecord:
        """Send INTERACTION_CREATE with ``payload`` (see ``payloads``) to the connected client.

        Returns the record the client's callbacks, original-message edits and followups for
        this interaction are collected in.
        """
        state = self._state
        record = InteractionRecord(
            interaction_id=int(payload["id"]),
            token=str(payload["token"]),
            payload=payload,
            callbacks=state.feed(),
            original_edits=state.feed(),
            followups=state.feed(),
        )
        # Registered first: the client may answer before the send returns.
        state.interactions[record.interaction_id] = record
        await self._gateway.dispatch("INTERACTION_CREATE", payload)
        return record

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send any other gateway dispatch event (e.g. ``GUILD_MEMBER_ADD``)."""
        await self._gateway.dispatch(event, data)

    async def request_reconnect(self) -> None:
        """Ask connected clients to reconnect (op 7); they come back with RESUME."""
        await self._gateway.request_reconnect()

    @property
    def identifies(self) -> RecordFeed[JSON]:
        """Every IDENTIFY payload received (token, intents, properties, shard)."""
        return self._gateway.identifies

    @property
    def resumes(self) -> RecordFeed[JSON]:
        return self._gateway.resumes

    @property
    def heartbeats(self) -> int:
        return self._gateway.heartbeats

    # Records -----------------------------------------------------------------------------

    @property
    def sent_messages(self) -> RecordFeed[RecordedMessage]:
        """Messages created with ``POST /channels/{id}/messages`` (DMs and channels)."""
        return self._state.sent_messages

    @property
    def edited_messages(self) -> RecordFeed[RecordedMessage]:
        return self._state.edited_messages

    @property
    def command_syncs(self) -> RecordFeed[CommandSync]:
        return self._state.command_syncs

    @property
    def request_log(self) -> list[RequestLogEntry]:
        return list(self._state.request_log)

    def synced_commands(self, guild_id: int | None = None) -> list[JSON]:
        """The commands registered globally (or for ``guild_id``), as Discord stores them."""
        return list(self._state.commands.get(guild_id, []))

    def messages_to(self, user_id: int) -> list[RecordedMessage]:
        """DMs delivered to ``user_id``."""
        return [m for m in self._state.sent_messages if m.recipient_id == user_id]

    def channel_messages(self, channel_id: int) -> list[RecordedMessage]:
        return [m for m in self._state.sent_messages if m.channel_id == channel_id]

    def requests_to(self, route: str) -> list[RequestLogEntry]:
        """Logged requests on ``route`` (same form as ``rate_limit``), refused ones included."""
        return [entry for entry in self._state.request_log if entry.route == route]
