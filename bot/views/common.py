"""What to show, independent of any platform.

The engine returns these frozen values; each adapter renders them its own way (Block
Kit, discord.ui, plain text). Every string in a view is already in the person's
language; adapters add no words of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.nps import SCORES, Category


class Tone(StrEnum):
    """How a notice should feel: adapters may pick an icon or colour from it."""

    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class ScorePrompt:
    """Ask the 0–10 question. ``survey_id`` is what a score button must carry back."""

    survey_id: str
    question: str
    low_label: str
    high_label: str
    notice: str
    not_now_label: str
    stop_label: str
    input_hint: str
    scale: tuple[int, ...] = tuple(SCORES)
    follow_up: str = ""
    """The wave's "you said, we did" lines (empty: none): what was heard last time and
    what was done. Partly drawn from respondents' words (themes): escape it."""


@dataclass(frozen=True)
class ReasonPrompt:
    """The score is stored; now ask why, with a prompt that fits its category.

    ``token`` lets this person (and only them) attach a reason to that answer; keep it
    where only they see it (a modal's private metadata, an ephemeral button).

    ``recorded`` thanks without the number and may go into a message that persists (the
    DM the person clicked in). ``score``, ``category`` and ``prompt`` give the answer
    away (the prompt of a 7 asks what would make it a 9 or 10): show them only where
    nothing persists, in the reason form or a live conversation, never in a message
    that stays in a channel's history.
    """

    score: int
    category: Category
    recorded: str
    title: str
    prompt: str
    skip_hint: str
    add_label: str
    submit_label: str
    limit: int
    token: str


@dataclass(frozen=True)
class DriverChoice:
    """One driver question: its ``key`` (what a rating button carries back), its
    ``label`` and the rating this person chose so far (``None``: not rated)."""

    key: str
    label: str
    chosen: int | None = None


@dataclass(frozen=True)
class DriverPrompt:
    """Optional 1–5 ratings after the reason: ``recorded`` says what just happened
    (thanks, or the rating just saved), ``intro`` asks, each driver offers ``scale``.

    ``token`` is the same reason token: keep it where only this person sees it. A
    rating is sent back with the token, the driver's key (or its position in
    ``drivers``) and the rating; a changed rating replaces the earlier one.
    ``input_hint`` is for text adapters that ask one driver at a time; ``finished`` is
    what they say after the last driver.
    """

    recorded: str
    intro: str
    low_label: str
    high_label: str
    input_hint: str
    finished: str
    drivers: tuple[DriverChoice, ...]
    token: str
    scale: tuple[int, ...] = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Notice:
    """A short message: thanks, a refusal, an error, a confirmation.

    ``retry`` is true when the input was refused but the question stays open (an
    invalid score, a reason over the limit): the adapter should let the person try again.
    """

    text: str
    tone: Tone = Tone.INFO
    retry: bool = False


@dataclass(frozen=True)
class ChannelMention:
    """A platform channel a report row names, for adapters that can mention it.

    A chat adapter shows ``lead`` (words, escaped like any text) followed by its own
    mention of ``channel_id``, which the reader's client turns into the channel's name.
    An adapter that cannot mention (a terminal) shows the row's ``value``, which says
    the same in words, the id labelled as a channel's.
    """

    channel_id: str
    lead: str = ""


@dataclass(frozen=True)
class ReportRow:
    """One labelled line of a report (e.g. 'Promoters' -> '12 (48 %)').

    ``mention`` is set when the row names a channel (see :class:`ChannelMention`);
    ``value`` is then the text form of the same line.
    """

    label: str
    value: str
    mention: ChannelMention | None = None


@dataclass(frozen=True)
class ReportSection:
    title: str
    rows: tuple[ReportRow, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReplyTarget:
    """A quoted comment an admin may reply to: the survey, the comment's handle and the
    label of a "reply" control. The handle names no answer and no person."""

    survey: str
    handle: str
    label: str


@dataclass(frozen=True)
class ReportView:
    """A report: a headline, sections of rows and notes, optional chart images, and the
    quoted comments that take a reply (platforms with buttons offer one each)."""

    title: str
    headline: str
    sections: tuple[ReportSection, ...] = ()
    charts: tuple[bytes, ...] = field(default=(), repr=False)
    replies: tuple[ReplyTarget, ...] = ()


@dataclass(frozen=True)
class SurveyCard:
    """A public card inviting everyone in a channel to answer privately.

    Clicking ``button_label`` must start the person's own conversation (``survey_id``
    is what the button carries; it names no person).
    """

    survey_id: str
    title: str
    question: str
    notice: str
    button_label: str
    follow_up: str = ""
    """The open wave's "you said, we did" lines (empty: none); escape it like
    :attr:`ScorePrompt.follow_up`."""


@dataclass(frozen=True)
class HomeView:
    """A person's home tab: the privacy notice and their opt-out switch for everyone,
    plus the latest results and survey status for admins."""

    title: str
    privacy: str
    opted_out: bool
    status_text: str
    toggle_label: str
    answer_label: str
    admin_report: ReportView | None = None
    replies_notice: str = ""
    """The periodic notice that new replies exist (the survey's, as its channel read
    it), while it is recent; the same for everyone, naming no one. Empty otherwise."""


View = ScorePrompt | ReasonPrompt | DriverPrompt | Notice | ReportView | SurveyCard | HomeView
