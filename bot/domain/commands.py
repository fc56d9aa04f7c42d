"""The ``/nps`` grammar: what a person typed, as a typed command, the same on every platform.

::

    /nps [answer]                          ask me now
    /nps optout | optin | privacy | forget-me | help | replies
    /nps report [SURVEY] [--by LABEL] [--period month|quarter|wave] [--quotes]
    /nps survey create [NAME] [--SETTING VALUE …]
    /nps survey edit NAME [--SETTING VALUE …]
    /nps survey list
    /nps survey status [NAME]
    /nps survey start NAME | close NAME
    /nps survey delete NAME [--yes]
    /nps survey share NAME @person LABEL=VALUE
    /nps survey unshare NAME @person
    /nps survey shares NAME
    /nps reply SURVEY COMMENT TEXT…
    /nps actions [list] [SURVEY]
    /nps actions add [SURVEY] [--title T --owner @person --due YYYY-MM-DD …]
    /nps actions update [SURVEY] #N [--status S --due YYYY-MM-DD …]
    /nps actions preview [SURVEY] [--set-text TEXT]

Parsing is pure and total: any text gives a command, never an exception. A word that is
no verb gives :class:`UnknownCommand`; a ``survey`` subcommand that is unknown, lacks
its name or has an option it does not take gives :class:`SurveyUsage`, and a ``report``
with a word it does not take gives :class:`ReportUsage`: what would be ignored is named
back instead. A person is named the way chat writes a mention,
``<@U123>`` or ``<@U123|name>`` (Slack with escaping on) or ``<@123>`` / ``<@!123>``;
``share`` and ``unshare`` without one give :class:`SurveyUsage` too. A channel or a group
given to a setting that names one (``--digest_channel #general`` arrives from Slack as
``<#C123|general>``, ``@team`` as ``<!subteam^S123|@team>``; Discord writes ``<#123>``
and ``<@&123>``) is kept as its id. Platforms with
typed options (Discord) build the same values directly, so every platform runs the same
commands.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import ClassVar

from bot.domain.command_words import (
    OptionFault,
    mentioned,
    option_fault,
    option_name,
    referenced,
    split_options,
    split_words,
)


class Verb(StrEnum):
    """The first word after ``/nps``."""

    ANSWER = "answer"
    REPORT = "report"
    OPT_OUT = "optout"
    OPT_IN = "optin"
    PRIVACY = "privacy"
    FORGET_ME = "forget-me"
    HELP = "help"
    SURVEY = "survey"
    REPLY = "reply"
    ACTIONS = "actions"
    REPLIES = "replies"
    UNKNOWN = "unknown"


class SurveyAction(StrEnum):
    """The word after ``/nps survey``."""

    CREATE = "create"
    EDIT = "edit"
    LIST = "list"
    STATUS = "status"
    START = "start"
    CLOSE = "close"
    DELETE = "delete"


@dataclass(frozen=True)
class SimpleCommand:
    """A verb without arguments: answer, optout, optin, privacy, forget-me, help or
    replies (where the replies to one's comment are; the console's session answers it
    with the thread itself)."""

    verb: Verb


@dataclass(frozen=True)
class ReportCommand:
    """``report``: a survey by name, a label to break down by, a period kind, quotes.

    Values are as typed; the report use case refuses an unknown period or label.
    """

    survey: str | None = None
    by: str | None = None
    period: str | None = None
    quotes: bool = False
    verb: ClassVar[Verb] = Verb.REPORT


@dataclass(frozen=True)
class ReportUsage:
    """``report`` with a word it does not take; ``word`` is the first such word as typed,
    to name it back, and ``fault`` says what is wrong with it (``UNKNOWN`` also for a
    second survey name)."""

    word: str
    fault: OptionFault = OptionFault.UNKNOWN
    verb: ClassVar[Verb] = Verb.REPORT


@dataclass(frozen=True)
class SurveyCommand:
    """``survey <action> [NAME]``, with settings for ``create`` and ``edit``.

    ``settings`` maps setting names (lower case, ``-`` written ``_``) to their values
    as text; which names exist and what the values mean is the survey form's business,
    so an unknown name is refused by the use case, not here. It is None when no setting
    was given at all (the platform then shows the form), which is not the same as an
    empty mapping (a typed command that changes nothing). ``confirmed`` is ``--yes`` on
    ``delete``: delete without asking first.
    """

    action: SurveyAction
    name: str | None = None
    settings: Mapping[str, str] | None = None
    confirmed: bool = False
    repeated: frozenset[str] = frozenset()
    """Setting names typed more than once: refused, since which value was meant is not
    for the bot to guess."""
    verb: ClassVar[Verb] = Verb.SURVEY


@dataclass(frozen=True)
class SurveyUsage:
    """``survey`` with a subcommand that is unknown, missing, or lacks the name it needs;
    or with an option its subcommand ``action`` does not take (``word``, as typed)."""

    action: SurveyAction | None = None
    word: str | None = None
    verb: ClassVar[Verb] = Verb.SURVEY


@dataclass(frozen=True)
class UnknownCommand:
    """A first word that is no verb; ``word`` is kept as typed, to name it back."""

    word: str
    verb: ClassVar[Verb] = Verb.UNKNOWN


class ShareAction(StrEnum):
    """What ``/nps survey share|unshare|shares`` does with a survey's scoped viewers."""

    SHARE = "share"
    REVOKE = "unshare"
    LIST = "shares"


@dataclass(frozen=True)
class ShareCommand:
    """``survey share NAME @person LABEL=VALUE``, ``survey unshare NAME @person`` or
    ``survey shares NAME``: who may read one group's report of a survey.

    ``viewer`` is the person's platform user id (from the mention), ``group`` the label
    and value they may read (``share`` only). Both as typed: whether the survey exists
    is the use case's business.
    """

    action: ShareAction
    survey: str
    viewer: str | None = None
    group: tuple[str, str] | None = None
    verb: ClassVar[Verb] = Verb.SURVEY


@dataclass(frozen=True)
class ReplyCommand:
    """``reply SURVEY COMMENT TEXT…``: an admin's reply to the comment a report shows
    with handle ``comment``. Empty fields mean the words were missing; the use case
    refuses them (and any handle it cannot find) in the admin's words."""

    survey: str
    comment: str
    text: str
    verb: ClassVar[Verb] = Verb.REPLY


class ActionsVerb(StrEnum):
    """The word after ``/nps actions`` (``list`` when none is given)."""

    LIST = "list"
    ADD = "add"
    UPDATE = "update"
    PREVIEW = "preview"


@dataclass(frozen=True)
class ActionsCommand:
    """``actions list|add|update|preview``: a survey's action plan.

    ``survey`` is the name typed (None: the default survey), ``number`` the action's
    running number for ``update`` (``#3`` or ``3``; None when not given or not a number,
    which the use case refuses). ``options`` maps option names (``title``, ``owner``,
    ``due``, ``status``, ``note``, ``theme``, ``driver``, ``set_text``) to their text;
    it is None when no option was given at all (a platform then shows the form).
    ``--owner`` may be a mention; its user id is kept.
    """

    action: ActionsVerb = ActionsVerb.LIST
    survey: str | None = None
    number: int | None = None
    options: Mapping[str, str] | None = None
    verb: ClassVar[Verb] = Verb.ACTIONS


Command = (
    SimpleCommand
    | ReportCommand
    | ReportUsage
    | SurveyCommand
    | ShareCommand
    | ReplyCommand
    | ActionsCommand
    | SurveyUsage
    | UnknownCommand
)

_VERBS: Mapping[str, Verb] = {
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
    "survey": Verb.SURVEY,
    "reply": Verb.REPLY,
    "actions": Verb.ACTIONS,
    "action": Verb.ACTIONS,
    "replies": Verb.REPLIES,
}
_NEEDS_NAME = frozenset(
    {SurveyAction.EDIT, SurveyAction.START, SurveyAction.CLOSE, SurveyAction.DELETE}
)
_TAKES_SETTINGS = frozenset({SurveyAction.CREATE, SurveyAction.EDIT})
_REFERS = frozenset({"digest_channel", "alert_channel", "audience_target"})
"""The survey settings that name a channel or a group: a reference typed to one is its id."""
_CONFIRM = "yes"
"""The one option that takes no value: ``delete NAME --yes``."""


def parse_command(text: str) -> Command:
    """The command ``text`` names, with or without a leading ``/nps``.

    Words are split like a shell (``"two words"`` is one word); text with an unbalanced
    quote is split at spaces instead.
    """
    words = split_words(text)
    if words and words[0].lower() == "/nps":
        words = words[1:]
    if not words:
        return SimpleCommand(Verb.ANSWER)
    verb = _VERBS.get(words[0].lower())
    if verb is None:
        return UnknownCommand(words[0])
    if verb is Verb.REPORT:
        return _report(words[1:])
    if verb is Verb.SURVEY:
        return _survey(words[1:])
    if verb is Verb.REPLY:
        rest = [*words[1:], "", ""]
        return ReplyCommand(survey=rest[0], comment=rest[1], text=" ".join(words[3:]))
    if verb is Verb.ACTIONS:
        return _actions(words[1:])
    return SimpleCommand(verb)


_REPORT_OPTIONS = frozenset({"by", "period"})
_REPORT_FLAGS = frozenset({"quotes"})


def _report(words: list[str]) -> ReportCommand | ReportUsage:
    """``report [SURVEY] [--by LABEL] [--period KIND] [--quotes]``, or its usage when a
    word is not one of those (a typo must not quietly give another report)."""
    faulty = option_fault(words, takes=_REPORT_OPTIONS, flags=_REPORT_FLAGS)
    if faulty is not None:
        return ReportUsage(*faulty)
    args, options, _ = split_options(words, flags=_REPORT_FLAGS)
    if len(args) > 1:
        return ReportUsage(args[1])
    return ReportCommand(
        survey=args[0] if args else None,
        by=options.get("by"),
        period=options.get("period"),
        quotes="quotes" in options,
    )


_NUMBER = re.compile(r"#?([0-9]{1,6})")


def _actions(words: list[str]) -> ActionsCommand:
    """``actions [verb] [SURVEY …] [#N] [--options]``: the number is the one word that
    reads as ``#N`` (``update`` only), the survey's name every other positional word."""
    action = next((a for a in ActionsVerb if words and a.value == words[0].lower()), None)
    rest = words[1:] if action is not None else words
    args, options, _ = split_options(rest, flags=frozenset())
    number = None
    if action is ActionsVerb.UPDATE:
        numbers = [found for word in args if (found := _NUMBER.fullmatch(word))]
        if numbers:
            number = int(numbers[-1].group(1))
            args = [word for word in args if not _NUMBER.fullmatch(word)]
    if "owner" in options:
        options["owner"] = mentioned(options["owner"]) or options["owner"]
    return ActionsCommand(
        action=action or ActionsVerb.LIST,
        survey=" ".join(args).strip() or None,
        number=number,
        options=MappingProxyType(options) if options else None,
    )


def _survey(words: list[str]) -> SurveyCommand | ShareCommand | SurveyUsage:
    """``survey <action> [NAME …] [--options]``: a name may be several words."""
    sharing = next((a for a in ShareAction if words and a.value == words[0].lower()), None)
    if sharing is not None:
        return _share(sharing, words[1:])
    action = next((a for a in SurveyAction if words and a.value == words[0].lower()), None)
    if action is None:
        return SurveyUsage()
    deleting = action is SurveyAction.DELETE
    args, options, repeated = split_options(
        words[1:], flags=frozenset({_CONFIRM} if deleting else ())
    )
    for key in _REFERS.intersection(options):
        options[key] = referenced(options[key]) or options[key]
    name = None if action is SurveyAction.LIST else " ".join(args).strip() or None
    if name is None and action in _NEEDS_NAME:
        return SurveyUsage()
    # ``--yes`` is taken, and only ``delete`` reads it; any other option would be
    # ignored, so it is named back instead (``start NAME --k_min 9`` is no edit).
    stray = next((word for word in words[1:] if option_name(word) not in (None, _CONFIRM)), None)
    if stray is not None and action not in _TAKES_SETTINGS:
        return SurveyUsage(action, stray)
    return SurveyCommand(
        action,
        name=name,
        settings=MappingProxyType(options) if options and action in _TAKES_SETTINGS else None,
        confirmed=deleting and _CONFIRM in options,
        repeated=repeated,
    )


def _share(action: ShareAction, words: list[str]) -> ShareCommand | SurveyUsage:
    """The survey's name is every word that is neither the mention nor ``LABEL=VALUE``."""
    viewers = [found for word in words if (found := mentioned(word)) is not None]
    groups = [tuple(word.split("=", 1)) for word in words if "=" in word and not mentioned(word)]
    name = " ".join(w for w in words if mentioned(w) is None and "=" not in w).strip()
    wants_viewer = action is not ShareAction.LIST
    wants_group = action is ShareAction.SHARE
    if (
        not name
        or len(viewers) != (1 if wants_viewer else 0)
        or len(groups) != (1 if wants_group else 0)
    ):
        return SurveyUsage()
    group = None
    if groups:
        label, value = (part.strip() for part in groups[0])
        if not label or not value:
            return SurveyUsage()
        group = (label, value)
    return ShareCommand(action, survey=name, viewer=viewers[0] if viewers else None, group=group)
