"""``nps-bot run``'s serving: every server shares one context, beside the scheduled work."""

from __future__ import annotations

from bot.runtime.context import RuntimeContext
from bot.runtime.health import HealthReport
from bot.runtime.services import Services
from bot.runtime.serving import serve_platforms


async def test_every_server_gets_the_same_context_while_the_scheduler_runs(
    services: Services,
) -> None:
    seen: list[tuple[RuntimeContext, HealthReport]] = []

    async def server(context: RuntimeContext) -> None:
        seen.append((context, await context.health.check()))

    await serve_platforms(services, [server, server])  # returns once both have ended

    [(first, health), (second, _)] = seen
    assert first is second and first.services is services
    assert health.as_json() == {"status": "ok", "database": "ok", "scheduler": "running"}
    assert first.lifecycle.stopping.is_set()
