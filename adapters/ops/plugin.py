"""The ops adapter as the ``nps_bot.ops`` entry point names it (see ``bot.runtime.ops``)."""

from __future__ import annotations

from adapters.ops.endpoints import ops_routes
from adapters.ops.server import serve_ops
from bot.runtime.context import OpsContext, OpsRoutes


class OpsPlugin:
    """Builds the operations routes, and serves them when no platform hosts them."""

    def routes(self, context: OpsContext) -> OpsRoutes:
        return ops_routes(context)

    async def serve(self, context: OpsContext, routes: OpsRoutes) -> None:
        await serve_ops(context, routes)


plugin = OpsPlugin()
"""The instance the ``nps_bot.ops`` entry point names."""
