"""The ops adapter works for every deployment: it loads no platform SDK."""

from __future__ import annotations

import subprocess
import sys

from tests.support.waiting import HANG_GUARD_SECONDS

PROBE = (
    "import sys\n"
    "from bot.runtime.ops import load_ops\n"
    "load_ops()\n"
    "import adapters.ops.endpoints, adapters.ops.send_api, adapters.ops.server\n"
    "sdks = {'slack_bolt', 'slack_sdk', 'discord'}\n"
    "print(sorted({name.split('.')[0] for name in sys.modules} & sdks))\n"
)


def test_loading_the_ops_adapter_imports_no_platform_sdk() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        timeout=HANG_GUARD_SECONDS,
    )
    assert done.stdout.strip() == "[]"
