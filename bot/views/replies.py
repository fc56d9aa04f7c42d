"""What a respondent sees of the replies to their answer, platform-neutral.

Every text is already inert (:func:`bot.domain.replies.inert_text`) and translated;
adapters escape their own markup on top. The token is the person's reply token: keep it
where only they see it (a button in their DM, a modal's private metadata).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RepliesButton:
    """The "See replies" button a thanks message carries in the person's DM.

    ``note`` says what the button is for, for a message that carries it alone (a
    platform whose thanks vanish keeps the button in a DM message of its own).
    """

    label: str
    token: str
    note: str


@dataclass(frozen=True)
class ReplyLine:
    """One message of the thread: who wrote it, as a side ("The survey team", "You"),
    and the text."""

    who: str
    text: str


@dataclass(frozen=True)
class RepliesView:
    """The thread of one answer, or ``empty`` (the same for no thread and for a token
    that is forged, foreign or expired, so no token tells whether a thread exists).

    ``open`` is true when the person may answer back or close: only then do adapters
    offer ``answer_label`` (a form titled ``title`` with ``input_label``, at most
    ``limit`` characters, sent with ``submit_label``) and ``close_label``.
    """

    title: str
    intro: str
    lines: tuple[ReplyLine, ...]
    token: str
    open: bool
    answer_label: str
    close_label: str
    input_label: str
    submit_label: str
    limit: int
    typed_hint: str
    """For text adapters: how to answer back or close by typing."""
