"""The operations endpoints of ``nps-bot run``: ``/healthz``, ``/metrics`` and the send API.

Every deployment serves them, and serves them once. The ops adapter (the entry point
``ops`` of the ``nps_bot.ops`` group, so this package never imports it) turns an
:class:`OpsContext` into :class:`OpsRoutes`. A platform plugin that runs an HTTP server
of its own (Slack in HTTP mode) says so through :class:`HostsOps` and adds those routes
(``RuntimeContext.ops``) to its server, beside its endpoint; otherwise the ops adapter
serves them on ``HTTP_HOST:HEALTH_PORT``. :func:`bot.runtime.serving.serve_platforms`
makes that choice.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

from aiohttp import web

from bot.ports.platform import PlatformUnreachable
from bot.ports.reach import Reach
from bot.runtime.health import HealthProbe
from bot.runtime.lifecycle import Lifecycle
from bot.runtime.metrics import Metrics
from bot.runtime.reaches import Reaches
from bot.runtime.services import Services
from bot.runtime.settings import ConfigurationError
from bot.usecases.context import WaveDeps
from bot.usecases.sending import Sent, find_survey_ref, send_one

ENTRY_POINT_GROUP = "nps_bot.ops"
ENTRY_POINT_NAME = "ops"


@dataclass(frozen=True)
class Sending:
    """The use cases behind ``POST /api/surveys/{survey}/send``, bound to their dependencies."""

    deps: WaveDeps

    async def survey_name(self, reach: Reach, *, ref: str) -> str | None:
        """The name of the survey of ``reach``'s tenant whose id or name is ``ref``."""
        survey = await find_survey_ref(self.deps, reach, ref=ref)
        return None if survey is None else survey.name

    async def send(self, reach: Reach, *, survey: str, user_id: str) -> bool:
        """Ask one person now if policy and opt-outs allow; True when it was sent
        (False with the platform out of reach too: nothing was sent or recorded)."""
        try:
            return await send_one(self.deps, reach, name=survey, user_id=user_id) is Sent.SENT
        except PlatformUnreachable:
            return False


@dataclass(frozen=True)
class OpsContext:
    """Everything the operations endpoints need, built once by the composition root.

    ``api_token`` None means the send API does not exist; ``metrics_token`` None means
    ``/metrics`` answers anyone who reaches the address, else only that bearer. ``host``
    and ``port`` are where the endpoints are served when no platform hosts them;
    ``stopping`` is set when the process stops taking new work, and ``shutdown_timeout``
    bounds the requests in hand.
    """

    health: HealthProbe
    metrics: Metrics
    reaches: Reaches
    sending: Sending
    api_token: str | None
    metrics_token: str | None
    host: str
    port: int
    stopping: asyncio.Event
    shutdown_timeout: float


@dataclass(frozen=True)
class OpsRoutes:
    """The operations endpoints as aiohttp route definitions: whichever server adds
    them answers them, with the same handlers."""

    routes: tuple[web.RouteDef, ...]

    def add_to(self, app: web.Application) -> None:
        app.router.add_routes(self.routes)


class OpsAdapter(Protocol):
    """The ops adapter as the composition root sees it."""

    def routes(self, context: OpsContext) -> OpsRoutes:
        """The endpoints ``context`` serves (the send API only with a token)."""
        ...

    async def serve(self, context: OpsContext, routes: OpsRoutes) -> None:
        """Serve ``routes`` on ``context.host:context.port`` until ``context.stopping``."""
        ...


@runtime_checkable
class HostsOps(Protocol):
    """A platform plugin that may run an HTTP server of its own."""

    def hosts_ops(self) -> bool:
        """True when, as its settings configure it, it runs an HTTP server and adds the
        :class:`OpsRoutes` of its context there."""
        ...


def ops_context(
    services: Services, *, health: HealthProbe, reaches: Reaches, lifecycle: Lifecycle
) -> OpsContext:
    """The operations endpoints' context for one ``nps-bot run``."""
    settings = services.settings
    token = settings.api_token
    metrics_token = settings.metrics_token
    return OpsContext(
        health=health,
        metrics=services.metrics,
        reaches=reaches,
        sending=Sending(services.waves),
        api_token=None if token is None else token.get_secret_value(),
        metrics_token=None if metrics_token is None else metrics_token.get_secret_value(),
        host=settings.http_host,
        port=settings.health_port,
        stopping=lifecycle.stopping,
        shutdown_timeout=settings.shutdown_grace_seconds,
    )


def load_ops() -> OpsAdapter:
    """The installed ops adapter; ``ConfigurationError`` when the installation lacks it."""
    found = entry_points(group=ENTRY_POINT_GROUP, name=ENTRY_POINT_NAME)
    if not found:
        raise ConfigurationError(
            f"no {ENTRY_POINT_NAME!r} entry point in {ENTRY_POINT_GROUP!r}: reinstall nps-bot"
        )
    adapter: OpsAdapter = next(iter(found)).load()
    return adapter
