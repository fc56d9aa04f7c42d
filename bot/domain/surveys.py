"""What a survey is in, what may name one, the range of its k, and the name every
tenant's default survey goes by (pure).

The states are stored as their string values in ``survey.status``; a :class:`SurveyState`
compares equal to the stored string, so rows read back need no conversion.
"""

from __future__ import annotations

from enum import StrEnum

from bot.domain.inputs import shows_as_itself

DEFAULT_SURVEY = "default"
"""The survey a tenant gets the first time someone talks to the bot, and the one
imported answers land in when their file names none."""

NAME_LIMIT = 64
"""The longest survey name, in characters."""

K_LOWEST = 3
K_HIGHEST = 100
"""The range of a survey's ``k_min``, the smallest group a report shows. Below 3, either of
two people in a group reads the other's answer off it; above 100, a report shows almost
no group and its figures move only every hundred answers (each release waits for ``k``
new ones), so a larger k is a typing slip, not a choice."""


class NameFault(StrEnum):
    """Why a text cannot name a survey."""

    LENGTH = "length"
    """Empty, only spaces, or longer than :data:`NAME_LIMIT`."""
    CHARACTERS = "characters"
    """A character that is not shown as itself (a control, line break, tab, bidi
    override, zero-width or other format character, private-use or unassigned code
    point, or a separator other than a space), or a space at either end."""


def name_fault(name: str) -> NameFault | None:
    """What is wrong with ``name`` as a survey name, or None when it may name one.

    A name is shown in lists, reports, digests and chat messages, so it holds only
    characters that show as themselves: one that reorders or hides text (U+202E, U+200B)
    could make a survey pass for another one. It is taken as given, never cleaned, so
    the name stored is the name typed to find it again.
    """
    if not name.strip() or len(name) > NAME_LIMIT:
        return NameFault.LENGTH
    if name != name.strip() or not shows_as_itself(name):
        return NameFault.CHARACTERS
    return None


class SurveyState(StrEnum):
    """Whether a survey asks people and takes their answers.

    Only an :attr:`ACTIVE` survey does either; :attr:`PAUSED` and :attr:`CLOSED` keep
    their answers for reports and ask no one, and a score sent to them is refused.
    """

    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"
