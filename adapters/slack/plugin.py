"""Slack as an adapter plugin: Socket Mode with an app token, HTTP mode otherwise."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from adapters.http_api import SendApi
from adapters.slack.app import create_app
from adapters.slack.client import build_client
from adapters.slack.deps import SLACK_MESSAGES_PER_SECOND
from adapters.slack.distribution.command_line import installed_reach
from adapters.slack.distribution.serve import serve_distribution
from adapters.slack.server import EVENTS_PATH, serve_http, serve_socket_mode
from bot.ports.pacing import Pace
from bot.ports.reach import Reach
from bot.runtime.health import HealthProbe
from bot.runtime.lifecycle import Lifecycle
from bot.runtime.metrics import Metrics
from bot.runtime.pepper import ConfigurationError
from bot.runtime.reaches import Reaches
from bot.runtime.services import Services
from bot.runtime.settings import Settings

log = logging.getLogger(__name__)


class SlackPlugin:
    """Reads ``SLACK_BOT_TOKEN`` (or, for distribution mode, ``SLACK_CLIENT_ID``,
    ``SLACK_CLIENT_SECRET`` and ``TOKEN_ENCRYPTION_KEY``), ``SLACK_APP_TOKEN``,
    ``SLACK_SIGNING_SECRET``, ``SLACK_API_BASE_URL``, ``HTTP_HOST``/``HTTP_PORT`` from the
    settings. The option
    ``reaches`` (a :class:`~bot.runtime.reaches.Reaches`) learns the workspace once connected,
    so scheduled waves can deliver through it; ``health`` and ``metrics`` add
    ``/healthz`` and ``/metrics`` to the HTTP server, and ``API_TOKEN`` the send API;
    ``lifecycle`` (a :class:`~bot.runtime.lifecycle.Lifecycle`) stops it gracefully."""

    name = "slack"

    def configured(self, settings: Settings) -> bool:
        return settings.slack_configured

    async def serve(self, services: Services, options: Mapping[str, object]) -> None:
        settings = services.settings
        if settings.slack_distribution:
            # Many workspaces through the OAuth install flow; SLACK_BOT_TOKEN is unused.
            await serve_distribution(services, options, per_second=SLACK_MESSAGES_PER_SECOND)
            return
        if settings.slack_bot_token is None:
            raise ConfigurationError("SLACK_BOT_TOKEN is not set")
        app_token = settings.slack_app_token
        signing_secret = settings.slack_signing_secret
        if app_token is None and signing_secret is None:
            raise ConfigurationError(
                "SLACK_SIGNING_SECRET is required in HTTP mode (set it from the app's "
                "Basic Information page), or set SLACK_APP_TOKEN to use Socket Mode"
            )
        # Socket Mode authenticates through the socket; HTTP mode verifies signatures.
        secret = None if app_token is not None or signing_secret is None else signing_secret
        pace = Pace(SLACK_MESSAGES_PER_SECOND)
        client = build_client(
            token=settings.slack_bot_token.get_secret_value(),
            base_url=settings.slack_api_base_url,
            pace=pace,
        )
        app, platform = create_app(
            services,
            client=client,
            signing_secret=secret.get_secret_value() if secret is not None else None,
        )
        reaches = options.get("reaches")
        if isinstance(reaches, Reaches):
            tenant = await platform.team_id()
            await reaches.connected(
                Reach(
                    platform=platform,
                    tenant=tenant,
                    per_second=SLACK_MESSAGES_PER_SECOND,
                    pace=pace,
                )
            )
        lifecycle = options.get("lifecycle")
        stopping = lifecycle.stopping if isinstance(lifecycle, Lifecycle) else None
        if app_token is not None:
            log.info("Slack: connecting in Socket Mode")
            await serve_socket_mode(app, app_token=app_token.get_secret_value(), stopping=stopping)
            return
        log.info(
            "Slack: serving %s on http://%s:%d", EVENTS_PATH, settings.http_host, settings.http_port
        )
        health, metrics = options.get("health"), options.get("metrics")
        api = None
        if settings.api_token is not None:
            reach = Reach(
                platform=platform,
                tenant=await platform.team_id(),
                per_second=SLACK_MESSAGES_PER_SECOND,
                pace=pace,
            )
            token = settings.api_token.get_secret_value()
            api = SendApi(token=token, deps=services.waves, reach=reach)
        await serve_http(
            app,
            host=settings.http_host,
            port=settings.http_port,
            health=health if isinstance(health, HealthProbe) else None,
            metrics=metrics if isinstance(metrics, Metrics) else None,
            api=api,
            inflight=lifecycle.inflight if isinstance(lifecycle, Lifecycle) else None,
            stopping=stopping,
            shutdown_timeout=settings.shutdown_grace_seconds,
        )

    @asynccontextmanager
    async def open_reach(self, services: Services) -> AsyncIterator[Reach]:
        """A Web API connection for command-line waves (no events are received)."""
        if services.settings.slack_distribution:
            async with installed_reach(services, per_second=SLACK_MESSAGES_PER_SECOND) as reach:
                yield reach
            return
        token = services.settings.slack_bot_token
        if token is None:
            raise ConfigurationError("SLACK_BOT_TOKEN is not set")
        pace = Pace(SLACK_MESSAGES_PER_SECOND)
        client = build_client(
            token=token.get_secret_value(),
            base_url=services.settings.slack_api_base_url,
            pace=pace,
        )
        # The client opens a short-lived HTTP session per call: nothing to close after.
        _, platform = create_app(services, client=client, signing_secret=None)
        yield Reach(
            platform=platform,
            tenant=await platform.team_id(),
            per_second=SLACK_MESSAGES_PER_SECOND,
            pace=pace,
        )


plugin = SlackPlugin()
"""The instance the ``nps_bot.adapters`` entry point names."""
