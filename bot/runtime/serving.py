"""Serving a process: the objects every plugin shares, built once, and the run itself.

:func:`serve_platforms` is ``nps-bot run``: it builds the reaches, the wave scheduler
(with the daily retention job), the health probe and the lifecycle, hands every server
the same :class:`~bot.runtime.context.RuntimeContext`, and runs them with the scheduled
work until a stop signal (see :mod:`bot.runtime.lifecycle`). A server is anything that
takes the context and runs until it is stopped or cancelled: a plugin's ``serve``, and
whatever else must run beside the platforms for the life of the process (the operations
endpoints) is one more entry of ``servers``.

:func:`serve_terminal` is the console: one conversation on this process's terminal, with
no scheduled work.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from bot.runtime.context import RuntimeContext, Terminal
from bot.runtime.health import HealthProbe
from bot.runtime.lifecycle import Lifecycle
from bot.runtime.plugins import AdapterPlugin
from bot.runtime.reaches import Reaches
from bot.runtime.scheduling import WaveScheduler
from bot.runtime.services import Services

Server = Callable[[RuntimeContext], Awaitable[None]]


async def serve_platforms(services: Services, servers: Sequence[Server]) -> None:
    """Run ``servers`` and the scheduled work (waves, alerts, retention) beside them.

    The scheduler learns each tenant a server announces through ``context.reaches``
    and drops each one that departs. Returns once everything has stopped in order; the
    caller disposes the database afterwards.
    """
    reaches = Reaches()
    scheduler = WaveScheduler(services.waves, [], on_delivery=services.metrics.count_delivery)
    reaches.subscribe(scheduler.add_reach)
    reaches.subscribe_departures(scheduler.remove_reach)
    scheduler.add_daily(services.engine.apply_retention, job_id="retention")
    services.metrics.watch_scheduler(scheduler.scheduler)
    context = RuntimeContext(
        services=services,
        reaches=reaches,
        lifecycle=Lifecycle(grace_seconds=services.settings.shutdown_grace_seconds),
        health=HealthProbe(services.database, scheduler=scheduler.scheduler),
    )
    await scheduler.start()
    try:
        with context.lifecycle.signals():
            await context.lifecycle.run(
                [server(context) for server in servers], scheduler=scheduler
            )
    finally:
        scheduler.shutdown()


async def serve_terminal(services: Services, plugin: AdapterPlugin, terminal: Terminal) -> None:
    """Let ``plugin`` (the console) talk with ``terminal`` until its input ends."""
    await plugin.serve(
        RuntimeContext(
            services=services,
            reaches=Reaches(),
            lifecycle=Lifecycle(grace_seconds=services.settings.shutdown_grace_seconds),
            health=HealthProbe(services.database),
            terminal=terminal,
        )
    )
