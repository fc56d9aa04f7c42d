"""A platform that goes away in the middle of a command, at a point the test names.

:class:`SeveringRelay` forwards loopback connections to a server (a platform double)
and stops taking new ones as soon as a request whose first line holds ``sever_at``
arrives: that request is still carried and answered, and every connection tried after
it is refused, as if the platform had gone off the network. The point is a request,
not a moment, so the test needs no timing: a client that opens one connection per call
(slack_sdk does) meets the refusal on its very next call.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Self


class SeveringRelay:
    """Relay ``127.0.0.1:port`` to ``target_port``, until the request ``sever_at`` names."""

    def __init__(self, target_port: int, *, sever_at: bytes) -> None:
        self._target = target_port
        self._marker = sever_at
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()
        self.severed = False

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        for pipe in self._pipes:
            pipe.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            first = await reader.readline()
        except ConnectionError:
            writer.close()
            return
        if self._marker in first and self._server is not None:
            # No connection after this one: the listening socket closes before the
            # request is even forwarded, so its answer reaches a platform already gone.
            self._server.close()
            self.severed = True
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self._target)
        upstream_writer.write(first)
        pipes = {
            asyncio.create_task(_pipe(reader, upstream_writer)),
            asyncio.create_task(_pipe(upstream_reader, writer)),
        }
        self._pipes |= pipes
        await asyncio.wait(pipes)
        self._pipes -= pipes


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    """Copy ``source`` to ``sink`` until either side closes."""
    try:
        while chunk := await source.read(65536):
            sink.write(chunk)
            await sink.drain()
    except ConnectionError:
        pass
    finally:
        sink.close()
