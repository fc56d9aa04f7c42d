"""Serving distribution mode: HTTP only, since Slack's install flow needs a public URL."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from adapters.slack.distribution.app import create_distribution_app
from adapters.slack.server import EVENTS_PATH, serve_http
from bot.runtime.lifecycle import Lifecycle
from bot.runtime.metrics import Metrics
from bot.runtime.ops import routes_in
from bot.runtime.pepper import ConfigurationError
from bot.runtime.reaches import Reaches
from bot.runtime.services import Services

log = logging.getLogger(__name__)


async def serve_distribution(
    services: Services, options: Mapping[str, object], *, per_second: float
) -> None:
    """Answer every installed workspace until cancelled or stopped by the lifecycle.

    Raises `ConfigurationError` before serving anything when the signing secret or the
    token encryption key is missing or invalid, or when Socket Mode is asked for.
    """
    settings = services.settings
    if settings.slack_app_token is not None:
        raise ConfigurationError(
            "SLACK_APP_TOKEN (Socket Mode) cannot be combined with SLACK_CLIENT_ID: the "
            "install pages are served over HTTP; unset one of them"
        )
    if settings.slack_signing_secret is None:
        raise ConfigurationError("SLACK_SIGNING_SECRET is required with SLACK_CLIENT_ID")
    reaches = options.get("reaches")
    distribution = create_distribution_app(
        services,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        reaches=reaches if isinstance(reaches, Reaches) else None,
        per_second=per_second,
    )
    installed = await distribution.connect_installed()
    log.info(
        "Slack: serving %s, /slack/install and /slack/oauth_redirect on http://%s:%d "
        "for %d installed workspace(s)",
        EVENTS_PATH,
        settings.http_host,
        settings.http_port,
        installed,
    )
    metrics = options.get("metrics")
    lifecycle = options.get("lifecycle")
    await serve_http(
        distribution.app,
        host=settings.http_host,
        port=settings.http_port,
        ops=routes_in(options),
        metrics=metrics if isinstance(metrics, Metrics) else None,
        inflight=lifecycle.inflight if isinstance(lifecycle, Lifecycle) else None,
        stopping=lifecycle.stopping if isinstance(lifecycle, Lifecycle) else None,
        shutdown_timeout=settings.shutdown_grace_seconds,
    )
