"""The operations endpoints' context, built by the runtime's own builder, for tests."""

from __future__ import annotations

import dataclasses

from bot.runtime.health import HealthProbe
from bot.runtime.lifecycle import Lifecycle
from bot.runtime.metrics import Metrics
from bot.runtime.ops import OpsContext, ops_context
from bot.runtime.reaches import Reaches
from bot.runtime.services import Services


def context_for(
    services: Services,
    *,
    health: HealthProbe | None = None,
    metrics: Metrics | None = None,
    reaches: Reaches | None = None,
    api_token: str | None = None,
) -> OpsContext:
    """What ``nps-bot run`` would build from ``services``, served on any free loopback
    port; ``health`` defaults to a probe of the services' database without a scheduler."""
    built = ops_context(
        services,
        health=health or HealthProbe(services.database),
        reaches=reaches or Reaches(),
        lifecycle=Lifecycle(grace_seconds=1.0),
    )
    return dataclasses.replace(
        built,
        metrics=metrics or built.metrics,
        api_token=api_token,
        host="127.0.0.1",
        port=0,
    )
