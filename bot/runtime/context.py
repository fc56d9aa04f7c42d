"""The runtime's typed facade: what an adapter plugin is handed, and every core type an
adapter may name.

An adapter imports from the core only :mod:`bot.domain`, :mod:`bot.views`,
:mod:`bot.ports`, :mod:`bot.i18n` and this module. Everything else it needs arrives
as a field of :class:`RuntimeContext` (built by :mod:`bot.runtime.serving`, one per
process) or of its :class:`Services`; the names below are exported so adapters can
annotate with them without reaching into the use cases or the runtime's modules.

The operations endpoints (``/healthz``, ``/metrics``, the send API) have a context of
their own, :class:`~bot.runtime.ops.OpsContext`, built from this one; a plugin whose
HTTP server hosts them finds their routes in ``ops``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TextIO

from bot.report.model import ReportRequest
from bot.runtime.health import HealthProbe
from bot.runtime.lifecycle import InFlight, Lifecycle
from bot.runtime.metrics import Metrics
from bot.runtime.ops import OpsContext, OpsRoutes, Sending
from bot.runtime.reaches import Reaches
from bot.runtime.services import Services, TenantRemoval
from bot.runtime.settings import (
    CommaList,
    ConfigurationError,
    Settings,
    load_settings,
    settings_config,
)
from bot.usecases.commands import Commands
from bot.usecases.engine import Engine
from bot.usecases.pacing import Paces
from bot.usecases.role_labels import RoleLabels
from bot.usecases.survey_admin import SurveyAdmin

__all__ = [
    "CommaList",
    "Commands",
    "ConfigurationError",
    "Engine",
    "HealthProbe",
    "InFlight",
    "Lifecycle",
    "Metrics",
    "OpsContext",
    "OpsRoutes",
    "Paces",
    "Reaches",
    "ReportRequest",
    "RoleLabels",
    "RuntimeContext",
    "Sending",
    "Services",
    "Settings",
    "SurveyAdmin",
    "TenantRemoval",
    "Terminal",
    "load_settings",
    "settings_config",
]


@dataclass(frozen=True)
class Terminal:
    """Who talks on this process's own terminal (``nps-bot console``, or ``nps-bot run``
    with no platform configured); never stored. ``source`` and ``sink`` are the
    terminal's lines in and out (None: this process's stdin and stdout)."""

    user: str
    admin: bool = False
    locale: str | None = None
    segments: Mapping[str, str] = field(default_factory=dict)
    source: TextIO | None = None
    sink: TextIO | None = None


@dataclass(frozen=True)
class RuntimeContext:
    """What every plugin serving in this process shares.

    ``reaches`` learns each tenant a platform can deliver to (scheduled waves subscribe
    to it); ``lifecycle`` says when to stop taking work (``stopping``) and tracks the
    work accepted (``inflight``); ``health`` probes the database and the scheduler.
    ``ops`` holds the operations routes in ``nps-bot run``, for a plugin that hosts them
    on its own HTTP server (:class:`~bot.runtime.ops.HostsOps`); ``terminal`` is set only
    when someone talks on this process's terminal.
    """

    services: Services
    reaches: Reaches
    lifecycle: Lifecycle
    health: HealthProbe
    ops: OpsRoutes | None = None
    terminal: Terminal | None = None
