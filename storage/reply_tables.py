"""Reply threads: an admin's replies to an anonymous answer and the answers back.

Both tables hang off the anonymous answer, like driver ratings, and name no one; see
``docs/design/replies.md``. Re-exported by :mod:`storage.models`.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class ReplyThread(SQLModel, table=True):
    """An admin's reply to one anonymous answer's comment, and what followed.

    Keyed to the answer (``answer_id``, one thread per answer), never to a person: no
    user id, no respondent key, no ask. ``answer_id`` has no foreign key because the
    mixing pool rewrites answers (:mod:`storage.mixing`); deleting a survey deletes its
    threads. ``opened_on`` is the day the admin first replied, an admin's act.
    See ``docs/design/replies.md``.
    """

    __tablename__ = "reply_thread"
    __table_args__ = (
        UniqueConstraint("answer_id", name="uq_reply_thread_answer"),
        {"sqlite_with_rowid": False},
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenant.id", index=True)
    survey_id: uuid.UUID = Field(foreign_key="survey.id", index=True)
    answer_id: uuid.UUID
    opened_on: date
    closed: bool = False


class ReplyMessage(SQLModel, table=True):
    """One message of a reply thread: the admin's reply or the respondent's answer-back.

    No date or time and no author id: ``position`` orders the messages of one thread and
    nothing across threads; ``announced`` says the periodic notice covered it (until
    then an answer-back is not shown to admins, so its timing reaches no one).
    """

    __tablename__ = "reply_message"
    __table_args__ = (
        UniqueConstraint("thread_id", "position", name="uq_reply_message_position"),
        CheckConstraint("author IN ('admin', 'respondent')", name="ck_reply_message_author"),
        {"sqlite_with_rowid": False},
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    thread_id: uuid.UUID = Field(foreign_key="reply_thread.id", index=True)
    position: int
    author: str = Field(max_length=16)
    text: str = Field(sa_column=Column(Text, nullable=False))
    announced: bool = False


class ReplyNotice(SQLModel, table=True):
    """The day the periodic notice last said that a survey has new replies.

    One row per survey, written by the scheduled notice only (never by a reply, an
    answer back or a reading), so its date is the scheduler's, already public in the
    survey's channel. App Home shows the notice for a while after that day, to
    everyone alike.
    """

    __tablename__ = "reply_notice"

    survey_id: uuid.UUID = Field(foreign_key="survey.id", primary_key=True)
    noticed_on: date
