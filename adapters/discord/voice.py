"""Keeping discord.py's "voice will NOT be supported" warnings out of the log.

A ``discord.Client`` warns, the first time one is built in a process, that voice needs
libraries that are not installed (PyNaCl, davey). The bot never joins a voice channel
and leaves them out on purpose, so on every ``nps-bot run`` those two warnings only
send whoever reads the log looking for a fault that is not there. Every other line of
``discord.client`` passes as before.
"""

from __future__ import annotations

import logging

VOICE_NOTICE = "voice will NOT be supported"
"""What both of discord.py's voice warnings say."""


class _WithoutVoiceNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return VOICE_NOTICE not in record.getMessage()


def without_voice_notice() -> None:
    """Drop the voice warnings of ``discord.client`` (once per process, however often
    called): call it before building a client."""
    logger = logging.getLogger("discord.client")
    if not any(isinstance(found, _WithoutVoiceNotice) for found in logger.filters):
        logger.addFilter(_WithoutVoiceNotice())
