"""Serving distribution mode: HTTP only, since Slack's install flow needs a public URL."""

from __future__ import annotations

import logging

from adapters.slack.distribution.app import create_distribution_app
from adapters.slack.server import EVENTS_PATH, serve_http
from adapters.slack.settings import SlackSettings
from bot.runtime.context import ConfigurationError, RuntimeContext

log = logging.getLogger(__name__)


async def serve_distribution(
    context: RuntimeContext, settings: SlackSettings, *, per_second: float
) -> None:
    """Answer every installed workspace until cancelled or stopped by the lifecycle.

    Raises `ConfigurationError` before serving anything when the signing secret or the
    token encryption key is missing or invalid, or when Socket Mode is asked for.
    """
    core = context.services.settings
    if settings.app_token is not None:
        raise ConfigurationError(
            "SLACK_APP_TOKEN (Socket Mode) cannot be combined with SLACK_CLIENT_ID: the "
            "install pages are served over HTTP; unset one of them"
        )
    if settings.signing_secret is None:
        raise ConfigurationError("SLACK_SIGNING_SECRET is required with SLACK_CLIENT_ID")
    distribution = create_distribution_app(
        context.services,
        settings,
        signing_secret=settings.signing_secret.get_secret_value(),
        reaches=context.reaches,
        per_second=per_second,
    )
    installed = await distribution.connect_installed()
    log.info(
        "Slack: serving %s, /slack/install and /slack/oauth_redirect on http://%s:%d "
        "for %d installed workspace(s)",
        EVENTS_PATH,
        core.http_host,
        core.http_port,
        installed,
    )
    await serve_http(
        distribution.app,
        host=core.http_host,
        port=core.http_port,
        ops=context.ops,
        metrics=context.services.metrics,
        inflight=context.lifecycle.inflight,
        stopping=context.lifecycle.stopping,
        shutdown_timeout=core.shutdown_grace_seconds,
    )
