"""Logging: one line per event, JSON or text, never carrying what respondents wrote.

Our own code logs events and counts, never user ids, names, reasons or tokens. Libraries
are held at WARNING because some of them (database drivers, HTTP clients) log query
parameters or request bodies at DEBUG, and those can hold exactly that.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Literal, TextIO

OUR_LOGGERS = ("bot", "adapters", "storage")
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "event", ...extra fields}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(entry, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes each line to ``sys.stderr`` as it is when the line is logged.

    A handler holding the stream it was built with would keep writing to it after the
    process (a test runner, an embedding program) replaced ``sys.stderr`` and closed
    the old one, and every line would then fail; this one follows the replacement.
    """

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _given: TextIO) -> None:
        """The stream is always the current ``sys.stderr``: one given is not kept."""


def configure_logging(level: str, *, style: Literal["text", "json"]) -> None:
    """Send our loggers at ``level`` and libraries at WARNING to stderr (the
    ``sys.stderr`` of the moment each line is logged)."""
    handler = StderrHandler()
    if style == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    for name in OUR_LOGGERS:
        logging.getLogger(name).setLevel(level)
