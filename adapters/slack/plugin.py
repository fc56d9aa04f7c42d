"""Slack as an adapter plugin: Socket Mode with an app token, HTTP mode otherwise."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from adapters.slack.app import create_app
from adapters.slack.client import build_client
from adapters.slack.server import EVENTS_PATH, serve_http, serve_socket_mode
from bot.pepper import ConfigurationError
from bot.services import Services
from bot.settings import Settings

log = logging.getLogger(__name__)


class SlackPlugin:
    """Reads ``SLACK_BOT_TOKEN``, ``SLACK_APP_TOKEN``, ``SLACK_SIGNING_SECRET``,
    ``SLACK_API_BASE_URL``, ``HTTP_HOST``/``HTTP_PORT`` from the settings; no options."""

    name = "slack"

    def configured(self, settings: Settings) -> bool:
        return settings.slack_configured

    async def serve(self, services: Services, options: Mapping[str, object]) -> None:
        settings = services.settings
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
        client = build_client(
            token=settings.slack_bot_token.get_secret_value(),
            base_url=settings.slack_api_base_url,
        )
        app, _ = create_app(
            services,
            client=client,
            signing_secret=secret.get_secret_value() if secret is not None else None,
        )
        if app_token is not None:
            log.info("Slack: connecting in Socket Mode")
            await serve_socket_mode(app, app_token=app_token.get_secret_value())
            return
        log.info(
            "Slack: serving %s on http://%s:%d", EVENTS_PATH, settings.http_host, settings.http_port
        )
        await serve_http(app, host=settings.http_host, port=settings.http_port)
