"""``nps-bot run``'s serving: every plugin shares one context, beside the scheduled work."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.runtime.context import RuntimeContext
from bot.runtime.health import HealthReport
from bot.runtime.services import Services
from bot.runtime.serving import serve_platforms


@dataclass
class HostingPlugin:
    """A plugin that records what it was handed and hosts the operations routes itself
    (so no server binds HEALTH_PORT here)."""

    name: str
    seen: list[tuple[RuntimeContext, HealthReport]] = field(default_factory=list)

    def configured(self) -> bool:
        return True

    def hosts_ops(self) -> bool:
        return True

    async def serve(self, context: RuntimeContext) -> None:
        self.seen.append((context, await context.health.check()))


async def test_every_plugin_gets_the_same_context_while_the_scheduler_runs(
    services: Services,
) -> None:
    first, second = HostingPlugin("first"), HostingPlugin("second")

    await serve_platforms(services, [first, second])  # returns once both have ended

    [(context, health)], [(other, _)] = first.seen, second.seen
    assert context is other and context.services is services
    assert health.as_json() == {"status": "ok", "database": "ok", "scheduler": "running"}
    assert context.ops is not None and context.terminal is None
    assert context.lifecycle.stopping.is_set()
