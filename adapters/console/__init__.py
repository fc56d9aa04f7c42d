"""The console adapter: one person talking to the bot on stdin/stdout."""

from adapters.console.plugin import ConsolePlugin

plugin = ConsolePlugin()

__all__ = ["plugin"]
