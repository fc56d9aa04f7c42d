"""Validation of what people type or platforms send, before anything is stored."""

from __future__ import annotations

import uuid

from bot.domain.nps import SCORES

REASON_LIMIT = 2000
"""The longest reason, in characters, that is stored."""


def parse_score(raw: object) -> int | None:
    """A score 0..10 from an int or a typed string (ASCII digits, spaces allowed); else None.

    Booleans, floats, full-width digits and anything out of range are refused.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        value = int(raw.strip())
    else:
        return None
    return value if value in SCORES else None


def parse_uuid(raw: object) -> uuid.UUID | None:
    """A UUID from its text form, or None for anything else."""
    if not isinstance(raw, str):
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def clean_text(text: str) -> str:
    """Free text as stored: control characters dropped (NUL breaks PostgreSQL), line
    breaks and tabs kept, surrounding white space trimmed."""
    kept = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())
    return kept.strip()
