"""Parse the text after ``/nps`` into a command, the same way on every platform."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from enum import StrEnum


class Verb(StrEnum):
    ANSWER = "answer"
    REPORT = "report"
    OPT_OUT = "optout"
    OPT_IN = "optin"
    PRIVACY = "privacy"
    FORGET_ME = "forget-me"
    HELP = "help"
    UNKNOWN = "unknown"


_ALIASES = {
    "": Verb.ANSWER,
    "answer": Verb.ANSWER,
    "report": Verb.REPORT,
    "optout": Verb.OPT_OUT,
    "opt-out": Verb.OPT_OUT,
    "optin": Verb.OPT_IN,
    "opt-in": Verb.OPT_IN,
    "forget-me": Verb.FORGET_ME,
    "forgetme": Verb.FORGET_ME,
    "privacy": Verb.PRIVACY,
    "help": Verb.HELP,
}


@dataclass(frozen=True)
class Command:
    """``verb`` plus positional ``args`` and ``--name value`` ``options``.

    ``word`` keeps what the person typed as the verb, so an unknown command can be
    named back to them.
    """

    verb: Verb
    word: str = ""
    args: tuple[str, ...] = ()
    options: dict[str, str] = field(default_factory=dict)


def parse_command(text: str) -> Command:
    """Parse ``"report eng --by team"`` (with or without a leading ``/nps``)."""
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    if words and words[0].lower() == "/nps":
        words = words[1:]
    if not words:
        return Command(Verb.ANSWER)
    word = words[0].lower()
    verb = _ALIASES.get(word, Verb.UNKNOWN)
    args: list[str] = []
    options: dict[str, str] = {}
    rest = iter(words[1:])
    for item in rest:
        if item.startswith("--") and len(item) > 2:
            name, _, value = item[2:].partition("=")
            options[name.lower()] = value if value else next(rest, "")
        else:
            args.append(item)
    return Command(verb, word=words[0], args=tuple(args), options=options)
