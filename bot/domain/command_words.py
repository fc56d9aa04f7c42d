"""How the ``/nps`` grammar (:mod:`bot.domain.commands`) reads words: the split of a
typed line, ``--name value`` options, and the mentions and references chat writes.

Pure functions; each takes what was typed and gives what it names, never an exception.
"""

from __future__ import annotations

import re
import shlex
from enum import StrEnum

_MENTION = re.compile(r"<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>")


def mentioned(word: str) -> str | None:
    """The user id of a mention (``<@U123>``, ``<@U123|ann>``, ``<@!123>``), else None."""
    found = _MENTION.fullmatch(word)
    return found.group(1) if found else None


_REFERENCE = re.compile(r"<(?:#|!subteam\^|@&)([A-Za-z0-9]+)(?:\|[^>]*)?>")


def referenced(word: str) -> str | None:
    """The id of a channel or group reference (``<#C123|general>``, ``<!subteam^S123|@team>``,
    ``<#123>``, ``<@&123>``), else None."""
    found = _REFERENCE.fullmatch(word)
    return found.group(1) if found else None


def split_words(text: str) -> list[str]:
    """``text`` split like a shell (``"two words"`` is one word); at spaces instead
    when a quote is left open."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def option_name(word: str) -> str | None:
    """The option ``word`` names (``--Due-Date=x`` names ``due_date``), None for a
    positional word."""
    if not (word.startswith("--") and len(word) > 2):
        return None
    return word[2:].partition("=")[0].lower().replace("-", "_")


def split_options(
    words: list[str], *, flags: frozenset[str]
) -> tuple[list[str], dict[str, str], frozenset[str]]:
    """Positional words, ``--name value`` / ``--name=value`` options by name, and the
    names typed more than once.

    A name is lower case with ``-`` written ``_``; a name in ``flags`` takes no value;
    ``--name=`` with nothing after the sign takes the next word, like ``--name``; a
    repeated option keeps its last value here, and its name is among the repeated ones
    for a command that refuses repeats.
    """
    args: list[str] = []
    options: dict[str, str] = {}
    repeated: set[str] = set()
    rest = iter(words)
    for item in rest:
        key = option_name(item)
        if key is None:
            args.append(item)
            continue
        value = item.partition("=")[2]
        if key in options:
            repeated.add(key)
        options[key] = "" if key in flags else value or next(rest, "")
    return args, options, frozenset(repeated)


class OptionFault(StrEnum):
    """What is wrong with an option a command was given."""

    UNKNOWN = "unknown"
    """The command takes no option of that name."""
    NO_VALUE = "no_value"
    """Nothing follows it, or another option does (``--by --period month``)."""
    TWICE = "twice"
    """It is given twice."""


def option_fault(
    words: list[str], *, takes: frozenset[str], flags: frozenset[str]
) -> tuple[str, OptionFault] | None:
    """The first of ``words`` naming an option wrongly, as typed, and what is wrong with
    it; None when every option is one of ``takes`` (with a value) or ``flags``, once."""
    _, options, repeated = split_options(words, flags=flags)
    faults = {name: OptionFault.UNKNOWN for name in options if name not in takes | flags}
    for name in takes.intersection(options):
        if not options[name] or option_name(options[name]) is not None:
            faults[name] = OptionFault.NO_VALUE
    faults |= {name: OptionFault.TWICE for name in repeated}
    for word in words:
        fault = faults.get(option_name(word) or "")
        if fault is not None:
            return word, fault
    return None
