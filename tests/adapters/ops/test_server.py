"""The operations endpoints' own server, in process, over real HTTP."""

from __future__ import annotations

import asyncio
import dataclasses
import socket

import aiohttp
import pytest

from adapters.ops.endpoints import HEALTH_PATH, METRICS_PATH, ops_routes
from adapters.ops.send_api import SEND_PATH
from adapters.ops.server import ops_server, serve_ops
from bot.runtime.services import Services
from bot.runtime.settings import ConfigurationError, Settings, load_settings
from tests.support.ops import context_for
from tests.support.waiting import HANG_GUARD_SECONDS, eventually

TOKEN = "s" * 40


async def test_health_and_metrics_answer_and_the_send_api_needs_a_token(
    services: Services,
) -> None:
    routes = ops_routes(context_for(services))
    async with (
        ops_server(routes, host="127.0.0.1", port=0, shutdown_timeout=1) as origin,
        aiohttp.ClientSession() as session,
    ):
        async with session.get(f"{origin}{HEALTH_PATH}") as answer:
            health = (answer.status, await answer.json())
        async with session.get(f"{origin}{METRICS_PATH}") as answer:
            metrics = (answer.status, await answer.text())
        send = SEND_PATH.format(survey="support")
        headers = {"Authorization": f"Bearer {TOKEN}"}
        async with session.post(f"{origin}{send}", json={"user": "U1"}, headers=headers) as answer:
            without_token = answer.status

    assert health == (200, {"status": "ok", "database": "ok", "scheduler": "stopped"})
    assert metrics[0] == 200
    assert "# TYPE nps_bot_answers_stored_total counter" in metrics[1]
    assert without_token == 404


async def test_with_a_token_the_send_api_is_served_too(services: Services) -> None:
    routes = ops_routes(context_for(services, api_token=TOKEN))
    async with (
        ops_server(routes, host="127.0.0.1", port=0, shutdown_timeout=1) as origin,
        aiohttp.ClientSession() as session,
    ):
        send = SEND_PATH.format(survey="support")
        async with session.post(f"{origin}{send}", json={"user": "U1"}) as answer:
            assert answer.status == 401
            assert (await answer.json())["error"] == "unauthorized"


async def test_a_port_in_use_is_a_configuration_error(services: Services) -> None:
    routes = ops_routes(context_for(services))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigurationError, match=f"127.0.0.1:{port}.*HEALTH_PORT"):
            async with ops_server(routes, host="127.0.0.1", port=port, shutdown_timeout=1):
                pass


async def test_serving_stops_listening_once_the_process_stops(services: Services) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    context = dataclasses.replace(context_for(services), port=port)
    serving = asyncio.create_task(serve_ops(context, ops_routes(context)))
    await listening(port)
    context.stopping.set()
    await asyncio.wait_for(serving, timeout=HANG_GUARD_SECONDS)

    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)


async def listening(port: int) -> None:
    async def accepts() -> bool:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            return False
        writer.close()
        await writer.wait_closed()
        return True

    await eventually(accepts, what=f"something listening on {port}")


async def test_with_a_metrics_token_only_its_bearer_reads_the_metrics(
    services: Services,
) -> None:
    token = "m" * 40
    routes = ops_routes(dataclasses.replace(context_for(services), metrics_token=token))
    async with (
        ops_server(routes, host="127.0.0.1", port=0, shutdown_timeout=1) as origin,
        aiohttp.ClientSession() as session,
    ):
        async with session.get(f"{origin}{METRICS_PATH}") as answer:
            anonymous = (answer.status, answer.headers.get("WWW-Authenticate", ""))
        wrong = {"Authorization": f"Bearer {'x' * 40}"}
        async with session.get(f"{origin}{METRICS_PATH}", headers=wrong) as answer:
            guessed = answer.status
        right = {"Authorization": f"Bearer {token}"}
        async with session.get(f"{origin}{METRICS_PATH}", headers=right) as answer:
            scraped = (answer.status, await answer.text())
        async with session.get(f"{origin}{HEALTH_PATH}") as answer:
            health = answer.status

    assert anonymous[0] == 401 and anonymous[1].startswith("Bearer")
    assert guessed == 401
    assert scraped[0] == 200 and "nps_bot_answers_stored_total" in scraped[1]
    assert health == 200  # probes stay open


def test_a_short_metrics_token_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("METRICS_TOKEN", "short")
    with pytest.raises(ConfigurationError, match="METRICS_TOKEN must be at least 32"):
        load_settings(Settings)
