"""The Slack adapter: slash command, DM survey, reason modal, App Home, reports."""

from adapters.slack.plugin import SlackPlugin

plugin = SlackPlugin()

__all__ = ["plugin"]
