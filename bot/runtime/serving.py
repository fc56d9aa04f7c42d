"""Serving a process: the objects every plugin shares, built once, and the run itself.

:func:`serve_platforms` is ``nps-bot run``: it builds the reaches, the wave scheduler
(with the daily retention job), the health probe, the lifecycle and the operations
endpoints (see :mod:`bot.runtime.ops`), hands every plugin the same
:class:`~bot.runtime.context.RuntimeContext`, and runs them with the scheduled work until
a stop signal (see :mod:`bot.runtime.lifecycle`). The operations endpoints are served
once: on the HTTP server of a plugin that hosts them, else by the ops adapter's own.

:func:`serve_terminal` is the console: one conversation on this process's terminal, with
no scheduled work.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.runtime.context import RuntimeContext, Terminal
from bot.runtime.health import HealthProbe
from bot.runtime.lifecycle import Lifecycle
from bot.runtime.ops import HostsOps, load_ops, ops_context
from bot.runtime.plugins import AdapterPlugin
from bot.runtime.reaches import Reaches
from bot.runtime.scheduling import WaveScheduler
from bot.runtime.services import Services


async def serve_platforms(services: Services, plugins: Sequence[AdapterPlugin]) -> None:
    """Serve ``plugins``, the operations endpoints and the scheduled work (waves, alerts,
    retention) beside them.

    The scheduler learns each tenant a plugin announces through ``context.reaches`` and
    drops each one that departs. Returns once everything has stopped in order; the
    caller disposes the database afterwards.
    """
    reaches = Reaches()
    scheduler = WaveScheduler(
        services.waves,
        [],
        tick_seconds=services.settings.scheduler_tick_seconds,
        on_delivery=services.metrics.count_delivery,
        action_lead_days=services.settings.action_reminder_days,
    )
    reaches.subscribe(scheduler.add_reach)
    reaches.subscribe_departures(scheduler.remove_reach)
    scheduler.add_daily(services.engine.apply_retention, job_id="retention")
    services.metrics.watch_scheduler(scheduler.scheduler)
    health = HealthProbe(services.database, scheduler=scheduler.scheduler)
    lifecycle = Lifecycle(grace_seconds=services.settings.shutdown_grace_seconds)
    ops = ops_context(services, health=health, reaches=reaches, lifecycle=lifecycle)
    adapter = load_ops()
    routes = adapter.routes(ops)
    context = RuntimeContext(
        services=services, reaches=reaches, lifecycle=lifecycle, health=health, ops=routes
    )
    running = [plugin.serve(context) for plugin in plugins]
    if not any(isinstance(plugin, HostsOps) and plugin.hosts_ops() for plugin in plugins):
        running.append(adapter.serve(ops, routes))
    await scheduler.start()
    try:
        with lifecycle.signals():
            await lifecycle.run(running, scheduler=scheduler)
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
