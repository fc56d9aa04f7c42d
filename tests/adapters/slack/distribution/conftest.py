"""Fixtures of distribution mode: the double serving two workspaces, the app on loopback."""

from tests.adapters.slack.distribution.support import dist_settings, running, slack

__all__ = ["dist_settings", "running", "slack"]
