"""The console as an adapter plugin: reads lines until end of input."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Mapping
from typing import TextIO, cast

from adapters.console.platform import PLATFORM, TENANT, ConsolePlatform
from adapters.console.render import render
from adapters.console.session import ConsoleSession
from bot.domain.people import Person
from bot.runtime.services import Services
from bot.runtime.settings import Settings


class ConsolePlugin:
    """Options: ``user`` (str), ``locale`` (str|None), ``admin`` (bool), ``segments``
    (mapping), and optionally ``input``/``output`` streams (stdin/stdout by default)."""

    name = "console"

    def configured(self, settings: Settings) -> bool:
        return True

    async def serve(self, services: Services, options: Mapping[str, object]) -> None:
        segments = options.get("segments") or {}
        person = Person(
            platform=PLATFORM,
            tenant=TENANT,
            user_id=str(options["user"]),
            locale=_optional_str(options.get("locale")),
            segments=dict(segments) if isinstance(segments, Mapping) else {},
            is_admin=bool(options.get("admin", False)),
        )
        source = cast(TextIO, options.get("input", sys.stdin))
        sink = cast(TextIO, options.get("output", sys.stdout))
        session = ConsoleSession(services.engine, services.commands, ConsolePlatform(person))
        await converse(session, source=source, sink=sink)


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


def _optional_str(value: object) -> str | None:
    return str(value) if value else None


plugin = ConsolePlugin()
"""The instance the ``nps_bot.adapters`` entry point names."""
