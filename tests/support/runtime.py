"""What a plugin is handed when a test serves it without the whole ``nps-bot run``."""

from __future__ import annotations

from bot.runtime.context import HealthProbe, Lifecycle, Reaches, RuntimeContext, Services


def runtime_context(services: Services, *, reaches: Reaches | None = None) -> RuntimeContext:
    """A context over ``services`` with real (and idle) reaches, lifecycle and health."""
    return RuntimeContext(
        services=services,
        reaches=reaches if reaches is not None else Reaches(),
        lifecycle=Lifecycle(grace_seconds=services.settings.shutdown_grace_seconds),
        health=HealthProbe(services.database),
    )
