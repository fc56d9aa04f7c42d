"""The entry point group platform adapters register under, apart from the plugin
machinery (:mod:`bot.runtime.plugins`), so the command line can list the installed
names without loading the runtime."""

from __future__ import annotations

ADAPTERS = "nps_bot.adapters"
