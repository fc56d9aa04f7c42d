"""Validation of what people type or platforms send, before anything is stored."""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import date

from bot.domain.nps import SCORES

REASON_LIMIT = 2000
"""The longest reason, in characters, that is stored."""


SCORE_UNITS = ("点",)
"""What may follow a typed number: Japanese writes a score as "10点"."""


def typed_whole_number(text: str) -> int | None:
    """The whole number someone typed, as an input method writes it: full-width digits
    (``１０``) and spaces folded by NFKC, surrounding space and a unit (``10点``)
    dropped; None for anything else (signs, decimals, other scripts' digits)."""
    folded = unicodedata.normalize("NFKC", text).strip()
    for unit in SCORE_UNITS:
        folded = folded.removesuffix(unit).rstrip()
    if not (folded.isascii() and folded.isdigit()) or len(folded) > 3:
        return None
    return int(folded)


def parse_score(raw: object) -> int | None:
    """A score 0..10 from an int or a typed string (see :func:`typed_whole_number`);
    else None.

    Booleans, floats and anything out of range are refused.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value: int | None = raw
    elif isinstance(raw, str):
        value = typed_whole_number(raw)
    else:
        return None
    return value if value in SCORES else None


ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
"""How a day is written (``2026-03-01``): :meth:`date.fromisoformat` alone also reads
``20260301`` and week dates such as ``2026-W09-7``, which no help or file format offers
and which read as a different day than a person may think."""


def parse_day(text: str) -> date | None:
    """A day written ``YYYY-MM-DD``, as an input method types it (full-width digits and
    dashes folded by NFKC, surrounding space dropped); None for anything else. Every
    date an operator types or a file gives is read here."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if not ISO_DAY.fullmatch(folded):
        return None
    try:
        return date.fromisoformat(folded)
    except ValueError:  # 2026-02-30
        return None


def parse_uuid(raw: object) -> uuid.UUID | None:
    """A UUID from its text form, or None for anything else."""
    if not isinstance(raw, str):
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


SPACES = frozenset(" \u3000")
"""The spaces a typed name or setting may hold: the ASCII one, and the ideographic one a
Japanese input method types for a space (Python counts it as no printable character)."""


def shows_as_itself(text: str) -> bool:
    """Whether every character of ``text`` is shown as itself: no control (NUL breaks
    PostgreSQL), line break, tab, bidi override, zero-width or other format character,
    private-use or unassigned code point, and no separator but a space (:data:`SPACES`).
    A survey's name must: one that reorders or hides text could make it pass for
    another."""
    return all(ch.isprintable() or ch in SPACES for ch in text)


def escaped(text: str) -> str:
    """``text`` with each character not shown as itself written as its escape
    (``\\u202e``, ``\\x1b``, ``\\n``), so that text stored before a rule refused
    such characters is listed as what it holds, not as what it pretends to be."""
    return "".join(ch if ch.isprintable() or ch in SPACES else ascii(ch)[1:-1] for ch in text)


def holds_control(text: str) -> bool:
    """Whether ``text`` holds a control character (NUL, escape, a line break, a tab): a
    setting typed with one is refused, for PostgreSQL refuses a NUL and a terminal obeys
    an escape. Other invisible characters pass this check: the text a respondent reads
    (a survey's subject, its driver labels) and names (groups, labels) are held to
    :func:`shows_as_itself` as well."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def clean_text(text: str) -> str:
    """Free text as stored: control characters dropped (NUL breaks PostgreSQL), line
    breaks and tabs kept, surrounding white space trimmed."""
    kept = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())
    return kept.strip()


NAMED_BACK_LIMIT = 40
"""The most characters of a typed word a notice names back: no verb or option is near
as long."""


def named_back(word: str) -> str:
    """A word someone typed, as a notice names it back: as free text is shown (no
    control character: a terminal obeys an escape), cut to :data:`NAMED_BACK_LIMIT`
    characters."""
    shown = clean_text(word)
    if len(shown) > NAMED_BACK_LIMIT:
        shown = shown[: NAMED_BACK_LIMIT - 1] + "…"
    return shown
