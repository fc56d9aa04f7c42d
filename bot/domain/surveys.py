"""What a survey is in, and the name every tenant's default survey goes by (pure).

The states are stored as their string values in ``survey.status``; a :class:`SurveyState`
compares equal to the stored string, so rows read back need no conversion.
"""

from __future__ import annotations

from enum import StrEnum

DEFAULT_SURVEY = "default"
"""The survey a tenant gets the first time someone talks to the bot, and the one
imported answers land in when their file names none."""


class SurveyState(StrEnum):
    """Whether a survey asks people and takes their answers.

    Only an :attr:`ACTIVE` survey does either; :attr:`PAUSED` and :attr:`CLOSED` keep
    their answers for reports and ask no one, and a score sent to them is refused.
    """

    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"
