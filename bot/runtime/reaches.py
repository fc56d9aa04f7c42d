"""Where connected platforms announce themselves, so scheduled work can reach people.

The composition root creates one :class:`Reaches` per process and hands it to each
adapter plugin; a plugin calls :meth:`Reaches.connected` once it can deliver to a
tenant (a Slack workspace after ``auth.test``, a Discord guild once it is ready).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.ports.reach import Reach

ReachListener = Callable[[Reach], Awaitable[None]]
DepartureListener = Callable[[str], Awaitable[None]]


class Reaches:
    """The platform connections of this process, by tenant, plus who wants to know."""

    def __init__(self) -> None:
        self._by_tenant: dict[str, Reach] = {}
        self._listeners: list[ReachListener] = []
        self._departure_listeners: list[DepartureListener] = []

    def subscribe(self, listener: ReachListener) -> None:
        """Call ``listener`` for every reach, those already connected included."""
        self._listeners.append(listener)

    async def connected(self, reach: Reach) -> None:
        self._by_tenant[reach.tenant] = reach
        for listener in self._listeners:
            await listener(reach)

    def subscribe_departures(self, listener: DepartureListener) -> None:
        """Call ``listener`` with the tenant id of every reach that goes away."""
        self._departure_listeners.append(listener)

    async def disconnected(self, tenant: str) -> None:
        """The platform can no longer deliver to ``tenant`` (uninstalled, token revoked)."""
        if self._by_tenant.pop(tenant, None) is None:
            return
        for listener in self._departure_listeners:
            await listener(tenant)

    def all(self) -> list[Reach]:
        return list(self._by_tenant.values())
