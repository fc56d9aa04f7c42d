"""The console as an adapter plugin: reads lines until end of input."""

from __future__ import annotations

import asyncio
import sys
import threading
from typing import TextIO

from adapters.console.platform import PLATFORM, TENANT, ConsolePlatform
from adapters.console.render import render
from adapters.console.session import ConsoleSession
from bot.domain.people import Person
from bot.runtime.context import ConfigurationError, RuntimeContext


class ConsolePlugin:
    """Talks with the context's ``terminal``, as that person, until its input ends."""

    name = "console"

    def configured(self) -> bool:
        return True

    async def serve(self, context: RuntimeContext) -> None:
        terminal = context.terminal
        if terminal is None:
            raise ConfigurationError("the console serves only a terminal (nps-bot console)")
        person = Person(
            platform=PLATFORM,
            tenant=TENANT,
            user_id=terminal.user,
            locale=terminal.locale or None,
            segments=dict(terminal.segments),
            is_admin=terminal.admin,
        )
        session = ConsoleSession(
            context.services.engine, context.services.commands, ConsolePlatform(person)
        )
        await converse(
            session, source=terminal.source or sys.stdin, sink=terminal.sink or sys.stdout
        )


async def converse(session: ConsoleSession, *, source: TextIO, sink: TextIO) -> None:
    """Ask at once, then answer each line until end of input."""
    interactive = source.isatty()
    _show(sink, render(await session.open()), prompt=interactive)
    lines = _lines(source)
    while (line := await lines.get()) is not None:
        shown = [render(view) for view in await session.handle(line)]
        if shown or interactive:
            _show(sink, "\n".join(shown), prompt=interactive)


def _lines(source: TextIO) -> asyncio.Queue[str | None]:
    """Lines of ``source`` as they arrive, then ``None`` at end of input.

    A daemon thread reads, so a blocked terminal read never keeps the process alive
    after Ctrl-C.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        for line in source:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=pump, name="console-input", daemon=True).start()
    return queue


def _show(sink: TextIO, text: str, *, prompt: bool) -> None:
    if text:
        sink.write(text + "\n")
    if prompt:
        sink.write("> ")
    sink.flush()


plugin = ConsolePlugin()
"""The instance the ``nps_bot.adapters`` entry point names."""
