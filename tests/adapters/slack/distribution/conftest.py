"""Fixtures of distribution mode: the double serving two workspaces, the app on loopback."""

from tests.adapters.slack.distribution.support import dist_services, running, slack

__all__ = ["dist_services", "running", "slack"]
