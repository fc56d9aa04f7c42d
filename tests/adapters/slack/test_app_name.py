"""The Bolt app is named, so building it reads no source files into ``linecache``.

An unnamed Bolt app takes its name from ``inspect.stack()``, which loads the source of
every file on the call stack and keeps it for the life of the process.
"""

from __future__ import annotations

import linecache

from adapters.slack.app import APP_NAME, create_app
from adapters.slack.client import build_client
from bot.runtime.services import Services
from tests.adapters.slack.conftest import SECRET, TOKEN


async def test_building_the_app_names_it_and_reads_no_source(services: Services) -> None:
    client = build_client(token=TOKEN, base_url="http://127.0.0.1:9/api/")
    linecache.clearcache()
    bolt, _ = create_app(services, client=client, signing_secret=SECRET, admin_ids=[])
    assert bolt.name == APP_NAME
    assert list(linecache.cache) == []
