"""How long a transaction waits for a pooled connection, apart from the engine's module
so that settings can name it without loading SQLAlchemy."""

from __future__ import annotations

DEFAULT_POOL_WAIT_SECONDS = 120.0
"""How long a transaction waits for a pooled connection by default. A burst of clicks
beyond what the process stores per second queues here; SQLAlchemy's own default of 30 s
turned a burst's backlog on a busy machine into clicks given up, when Slack lets a click
be answered (through its ``response_url``) for 30 minutes."""
