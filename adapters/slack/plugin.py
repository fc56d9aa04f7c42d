"""Slack as an adapter plugin: Socket Mode with an app token, HTTP mode otherwise."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp

from adapters.slack.app import create_app
from adapters.slack.client import DEFAULT_BASE_URL, build_client, team_of
from adapters.slack.emails import SlackEmailLookup
from adapters.slack.reachability import reaching_slack as slack_reachable
from adapters.slack.server import EVENTS_PATH, serve_http, serve_socket_mode
from adapters.slack.settings import SlackSettings
from adapters.slack.startup import reaching_slack
from bot.ports.directory import EmailLookup
from bot.ports.reach import Reach
from bot.runtime.context import ConfigurationError, RuntimeContext, Services, load_settings

log = logging.getLogger(__name__)


class SlackPlugin:
    """Reads :class:`SlackSettings` from the environment whenever it needs them, unless
    constructed with ``settings``: ``SLACK_BOT_TOKEN`` (or, for distribution mode,
    ``SLACK_CLIENT_ID``, ``SLACK_CLIENT_SECRET`` and ``TOKEN_ENCRYPTION_KEY``),
    ``SLACK_APP_TOKEN``, ``SLACK_SIGNING_SECRET``, ``SLACK_API_BASE_URL``,
    ``SLACK_MESSAGES_PER_SECOND`` (the workspace's pace, which the services share with
    every replica on one PostgreSQL database); and
    ``HTTP_HOST``/``HTTP_PORT`` from the core settings. The context's ``reaches``
    learns the workspace once connected, so scheduled waves can deliver through it; the
    HTTP server adds the context's operations routes (``/healthz``, ``/metrics``, the
    send API) and times its requests; the context's ``lifecycle`` stops it gracefully."""

    name = "slack"

    def __init__(self, settings: SlackSettings | None = None) -> None:
        self._given = settings

    def _settings(self) -> SlackSettings:
        return self._given if self._given is not None else load_settings(SlackSettings)

    def configured(self) -> bool:
        return self._settings().configured

    def hosts_ops(self) -> bool:
        """HTTP mode (and distribution mode, always HTTP) serves the operations endpoints
        on its own port; Socket Mode leaves them to the ops server."""
        settings = self._settings()
        return settings.distribution or settings.app_token is None

    async def serve(self, context: RuntimeContext) -> None:
        settings = self._settings()
        if settings.distribution:
            # Many workspaces through the OAuth install flow; SLACK_BOT_TOKEN is unused.
            # Loaded here: one workspace never needs its token sealing (cryptography).
            from adapters.slack.distribution.serve import serve_distribution

            await serve_distribution(context, settings, per_second=settings.messages_per_second)
            return
        if settings.bot_token is None:
            raise ConfigurationError("SLACK_BOT_TOKEN is not set")
        app_token = settings.app_token
        signing_secret = settings.signing_secret
        if app_token is None and signing_secret is None:
            raise ConfigurationError(
                "SLACK_SIGNING_SECRET is required in HTTP mode (set it from the app's "
                "Basic Information page), or set SLACK_APP_TOKEN to use Socket Mode"
            )
        # Socket Mode authenticates through the socket; HTTP mode verifies signatures.
        secret = None if app_token is not None or signing_secret is None else signing_secret
        token = settings.bot_token.get_secret_value()
        base_url = settings.api_base_url or DEFAULT_BASE_URL
        async with reaching_slack("SLACK_BOT_TOKEN", base_url=base_url):
            team = await team_of(token=token, base_url=settings.api_base_url)
        per_second = settings.messages_per_second
        pace = context.services.paces.of(platform="slack", tenant=team, per_second=per_second)
        # One HTTP session for every Web API call the process makes: without it slack_sdk
        # opens a connection (with TLS, a handshake) per call. The scheduler's deliveries
        # send through it too, so it closes once the scheduler has stopped.
        session = aiohttp.ClientSession()
        context.lifecycle.close_when_stopped(session.close)
        client = build_client(
            token=token, base_url=settings.api_base_url, pace=pace, session=session
        )
        app, platform = create_app(
            context.services,
            client=client,
            signing_secret=secret.get_secret_value() if secret is not None else None,
            admin_ids=settings.admin_user_ids,
            labels=settings.label_rules(),
            team_id=team,
            per_second=per_second,
        )
        reach = Reach(
            platform=platform,
            tenant=team,
            per_second=per_second,
            pace=pace,
        )
        await context.reaches.connected(reach)
        stopping = context.lifecycle.stopping
        if app_token is not None:
            log.info("Slack: connecting in Socket Mode")
            await serve_socket_mode(
                app,
                app_token=app_token.get_secret_value(),
                stopping=stopping,
                connected=reaching_slack("SLACK_APP_TOKEN", base_url=base_url),
            )
            return
        core = context.services.settings
        log.info("Slack: serving %s on http://%s:%d", EVENTS_PATH, core.http_host, core.http_port)
        await serve_http(
            app,
            host=core.http_host,
            port=core.http_port,
            ops=context.ops,
            metrics=context.services.metrics,
            inflight=context.lifecycle.inflight,
            stopping=stopping,
            shutdown_timeout=core.shutdown_grace_seconds,
        )

    @asynccontextmanager
    async def open_reach(self, services: Services) -> AsyncIterator[Reach]:
        """A Web API connection for command-line waves (no events are received).

        Raises ``PlatformUnreachable`` when Slack cannot be reached, and
        ``ConfigurationError`` when it refuses the token."""
        settings = self._settings()
        if settings.distribution:
            from adapters.slack.distribution.command_line import installed_reach

            async with installed_reach(
                services, settings, per_second=settings.messages_per_second
            ) as reach:
                yield reach
            return
        if settings.bot_token is None:
            raise ConfigurationError("SLACK_BOT_TOKEN is not set")
        token = settings.bot_token.get_secret_value()
        # Slack out of reach is said as the port says it (the command tells what became
        # of its work); a refused token is a configuration error.
        async with reaching_slack(
            "SLACK_BOT_TOKEN", base_url=settings.api_base_url or DEFAULT_BASE_URL
        ):
            with slack_reachable():
                team = await team_of(token=token, base_url=settings.api_base_url)
        per_second = settings.messages_per_second
        pace = services.paces.of(platform="slack", tenant=team, per_second=per_second)
        client = build_client(token=token, base_url=settings.api_base_url, pace=pace)
        # The client opens a short-lived HTTP session per call: nothing to close after.
        _, platform = create_app(
            services,
            client=client,
            signing_secret=None,
            admin_ids=settings.admin_user_ids,
            labels=settings.label_rules(),
            team_id=team,
            per_second=per_second,
        )
        yield Reach(
            platform=platform,
            tenant=team,
            per_second=per_second,
            pace=pace,
        )

    @asynccontextmanager
    async def open_email_lookup(
        self, services: Services, tenant: str
    ) -> AsyncIterator[EmailLookup]:
        """Email look-ups for a roster of workspace ``tenant``: with the bot token that
        workspace's installation stored in distribution mode, else with
        ``SLACK_BOT_TOKEN`` (whose workspace the look-up names: the caller refuses a
        token of another workspace than ``tenant``)."""
        settings = self._settings()
        if settings.distribution:
            from adapters.slack.distribution.command_line import installed_email_lookup

            async with installed_email_lookup(services, settings, tenant=tenant) as lookup:
                yield lookup
            return
        if settings.bot_token is None:
            raise ConfigurationError(
                "SLACK_BOT_TOKEN is not set: finding people by email needs the bot token "
                "of their workspace (with the users:read.email scope)"
            )
        client = build_client(
            token=settings.bot_token.get_secret_value(), base_url=settings.api_base_url
        )
        answer = await client.auth_test()
        yield SlackEmailLookup(client, tenant=str(answer["team_id"]))


plugin = SlackPlugin()
"""The instance the ``nps_bot.adapters`` entry point names."""
