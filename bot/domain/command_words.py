"""How the ``/nps`` grammar (:mod:`bot.domain.commands`) reads words: the split of a
typed line, ``--name value`` options, and the mentions and references chat writes.

Pure functions; each takes what was typed and gives what it names, never an exception.
"""

from __future__ import annotations

import re
import shlex

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
