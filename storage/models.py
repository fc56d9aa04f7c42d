"""SQLModel tables of nps-bot.

Anonymity by construction: the ``response`` table holds a random UUID key, the survey,
the optional wave, the score, the optional reason, segment labels and the answered
*date* — never a user id, a name, an invitation id, a time of day, anything sequential,
or a label of the answerer (such as their language) that reports do not hold to the
``k`` rule. On SQLite it is a ``WITHOUT ROWID`` table, so not even the hidden rowid
records insertion order.

Driver ratings (``driver_rating``) hang off the anonymous answer alone: an answer's id,
a driver key and a 1..5 rating, with no date, time or sequence of their own. So a rating
is exactly as anonymous as the answer it belongs to; it is only reachable from the
person through the sealed reason token they hold, which the database never sees.

People appear only as a *respondent key* (an HMAC of their platform identity, computed
by the bot), in ``contact`` (when they were asked, for the frequency cap), ``ask_hold``
(what forget-me keeps of that history), ``invitation``, ``opt_out`` and
``directory_entry`` (the labels of a roster), ``scoped_viewer`` (whom an admin shared one
group's report with). Reply threads (``reply_thread``, ``reply_message``) hang off
the anonymous answer like ratings do and name no one. Raw platform
user ids live only in ``invitation.address``, where a message must be delivered, until
the wave closes.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, DateTime, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# The reply tables have a module of their own, imported so that they register with these.
from storage.reply_tables import ReplyMessage as ReplyMessage
from storage.reply_tables import ReplyNotice as ReplyNotice
from storage.reply_tables import ReplyThread as ReplyThread


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class Tenant(SQLModel, table=True):
    """One Slack workspace, Discord guild or console installation."""

    __tablename__ = "tenant"
    __table_args__ = (UniqueConstraint("platform", "external_id", name="uq_tenant_platform"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    platform: str = Field(max_length=32)
    external_id: str = Field(max_length=64)
    locale: str = Field(default="en", max_length=16)
    settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Survey(SQLModel, table=True):
    """What is asked, of whom, how often, and how results are protected."""

    __tablename__ = "survey"
    __table_args__ = (
        UniqueConstraint("tenant_id", "name", name="uq_survey_name"),
        CheckConstraint("k_min >= 3", name="ck_survey_k_min"),
        CheckConstraint("k_comments >= k_min", name="ck_survey_k_comments"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenant.id", index=True)
    name: str = Field(max_length=64)
    kind: str = Field(default="nps", max_length=8)
    subject: str = Field(default="", max_length=200)
    audience: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    cadence: str | None = Field(default=None, max_length=120)
    timezone: str = Field(default="UTC", max_length=64)
    digest_channel: str | None = Field(default=None, max_length=64)
    digest_cadence: str | None = Field(default=None, max_length=120)
    alert_channel: str | None = Field(default=None, max_length=64)
    k_min: int = 5
    k_comments: int = 8
    cap_max_asks: int = 2
    cap_window_days: int = 365
    cap_min_gap_days: int = 150
    window_days: int = 14
    reminders: int = 2
    locale: str = Field(default="en", max_length=16)
    status: str = Field(default="active", max_length=16)
    drivers: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    """Optional 1-5 driver questions asked after the reason: ``[{"key", "label"}]``, at
    most five, validated in :mod:`bot.usecases.surveys`."""
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Wave(SQLModel, table=True):
    """One sending of a survey: it opens, may remind, and closes.

    ``scheduled_for`` is the opening the wave answers (a cron fire time, or the moment
    an admin started it); unique per survey, so replicas opening the same wave make one.
    """

    __tablename__ = "wave"
    __table_args__ = (UniqueConstraint("survey_id", "scheduled_for", name="uq_wave_opening"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    survey_id: uuid.UUID = Field(foreign_key="survey.id", index=True)
    scheduled_for: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    opens_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    closes_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    status: str = Field(default="open", max_length=16)
    invited: int = 0


class Invitation(SQLModel, table=True):
    """A person invited to a wave. Holds the delivery address, never the answer.

    ``address``, ``reference`` (the sent message), ``answered`` (whether this person
    answered in this wave, never what) and whatever else tells one invitee from
    another (``locale``, ``timezone``, ``deliver_at``, ``reminders_sent``, ``error``,
    ``remind_at``, ``claimed_at``) exist only while the wave is open: closing the wave
    nulls them (``reminders_sent`` becomes 0), keeping the ``status`` the counts read.
    ``claimed_at`` is when a sender claimed it (pending -> sending), so a claim left
    behind by a stopped process can be told from one still in flight.
    """

    __tablename__ = "invitation"
    __table_args__ = (
        UniqueConstraint("wave_id", "respondent_key", name="uq_invitation_person"),
        Index("ix_invitation_due", "status", "deliver_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    wave_id: uuid.UUID = Field(foreign_key="wave.id", index=True)
    respondent_key: str = Field(max_length=64)
    address: str | None = Field(default=None, max_length=128)
    status: str = Field(default="pending", max_length=16)
    error: str | None = Field(default=None, max_length=64)
    locale: str | None = Field(default="en", max_length=16)
    timezone: str | None = Field(default="UTC", max_length=64)
    deliver_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    reference: str | None = Field(default=None, max_length=128)
    answered: bool = False
    reminders_sent: int = 0
    remind_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    claimed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class Contact(SQLModel, table=True):
    """One time a person was asked a survey: the history the frequency cap reads.

    ``open`` is true while the ask can still take a score; it turns false once it is
    answered, in the transaction after the one that stores the answer (an
    :class:`AnswerClaim` keeps it from a second answer in between), or when its wave
    closes.
    """

    __tablename__ = "contact"
    __table_args__ = (
        UniqueConstraint("survey_id", "respondent_key", "asked_on", name="uq_contact_ask"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenant.id", index=True)
    survey_id: uuid.UUID = Field(foreign_key="survey.id")
    wave_id: uuid.UUID | None = Field(default=None, foreign_key="wave.id")
    respondent_key: str = Field(max_length=64, index=True)
    asked_on: date
    open: bool = True
    labels: dict[str, str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    """The person's labels when asked (directory and platform merged, see
    :func:`bot.domain.labels.labels_when_asked`): the answer to this ask carries them, so
    a re-organisation later moves no answer. ``None`` for asks recorded before labels
    were kept (their answer takes the person's platform labels at answer time)."""


class AskHold(SQLModel, table=True):
    """What forget-me keeps of a person's asks of one survey: the first day they may be
    asked it again, and nothing else (no ask date, no answer, no wave).

    Without it, forget-me would clear the history the frequency cap reads, and a person
    could answer the same survey again at once, as often as they liked. The day is
    written by :func:`bot.domain.policy.hold_after_forgetting` (a Monday, or the day of
    forgetting, so it gives back no ask date) and read by the same policy as the asks
    it replaces. One hold per survey and person.
    """

    __tablename__ = "ask_hold"

    survey_id: uuid.UUID = Field(foreign_key="survey.id", primary_key=True)
    respondent_key: str = Field(max_length=64, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenant.id", index=True)
    not_before: date


class DirectoryEntry(SQLModel, table=True):
    """One person's labels from one source (``roster``: an imported file), keyed by the
    respondent key, never by a user id or an email.

    ``labels`` maps label names to values (``team``, ``role``, …); ``started_on`` is the
    start date a tenure band is computed from on the day of each ask (the band is never
    stored, so it moves with time). One row per person and source, so an ask reads the
    person's entries in the same statement as the rest of its decision.
    """

    __tablename__ = "directory_entry"

    tenant_id: uuid.UUID = Field(foreign_key="tenant.id", primary_key=True)
    respondent_key: str = Field(max_length=64, primary_key=True)
    source: str = Field(max_length=16, primary_key=True)
    labels: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    started_on: date | None = None


class OptOut(SQLModel, table=True):
    """A person who asked never to be surveyed in this tenant."""

    __tablename__ = "opt_out"
    __table_args__ = (UniqueConstraint("tenant_id", "respondent_key", name="uq_opt_out"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenant.id")
    respondent_key: str = Field(max_length=64)
    since: date


class Response(SQLModel, table=True):
    """One anonymous answer. See the module docstring for what it must never hold."""

    __tablename__ = "response"
    __table_args__ = (
        CheckConstraint("score >= 0 AND score <= 10", name="ck_response_score"),
        {"sqlite_with_rowid": False},
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenant.id", index=True)
    survey_id: uuid.UUID = Field(foreign_key="survey.id", index=True)
    wave_id: uuid.UUID | None = Field(default=None, foreign_key="wave.id")
    score: int
    reason: str | None = Field(default=None, max_length=2000)
    segments: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    answered_on: date
    release_step: int | None = None
    """The release step that made this answer visible to reports (``None``: not yet).
    Steps are cut only over at least ``k`` waiting answers, so a step says no more about
    when an answer arrived than that it is one of k or more."""
    mixing: bool = False
    """In its survey's mixing pool (PostgreSQL only, see :mod:`storage.mixing`): rewritten,
    in random order, with every change to the pool, so that neither its transaction id
    nor its place on disk tells when it arrived."""


class AnswerClaim(SQLModel, table=True):
    """An ask that has its answer while the person's side of it is not yet written.

    The answer is stored in a transaction that writes no row about the person; the ask
    is closed (and the invitation marked answered) in the next one. Between the two, and
    if the second never happens, this row keeps the ask from taking a second answer:
    ``digest`` is a keyed hash of the ask's id (the key derived from the pepper), unique,
    so of racing answers exactly one claims the ask. It holds nothing else: without the
    pepper it names no ask, and it is deleted soon after the ask is closed (see
    ``seen``).
    """

    __tablename__ = "answer_claim"
    __table_args__ = ({"sqlite_with_rowid": False},)

    digest: str = Field(max_length=64, primary_key=True)
    survey_id: uuid.UUID = Field(foreign_key="survey.id", index=True)
    seen: bool = False
    """Found with its ask closed by a settling run; the next run deletes it. Two runs
    apart, no request that read the ask while it was open can still be about to claim
    it, so deleting the claim cannot let a second answer in."""


class ReleaseState(SQLModel, table=True):
    """Where a survey's releases stand. Its row is rewritten, unchanged, at the start of
    every release, so releases of one survey run one at a time (a row lock on
    PostgreSQL, the write lock on SQLite) and a release that shows nothing new leaves
    the database as it was."""

    __tablename__ = "release_state"

    survey_id: uuid.UUID = Field(foreign_key="survey.id", primary_key=True)
    step: int = 0
    """The newest release step; answers with a step up to it are visible."""
    text_step: int = 0
    """The step that reasons, themes and quotes were last drawn from."""
    ratings_step: int = 0
    """The step that driver ratings were last analysed at."""


class ReleasedGroup(SQLModel, table=True):
    """One group of answers whose figures were released: the disclosure ledger.

    ``selector`` is the canonical text of :class:`bot.stats.disclosure.Selector` (a
    release step, a day range, waves, label values). The ledger never holds figures,
    only which groups were shown, so that no later release can be subtracted from them.
    """

    __tablename__ = "released_group"
    __table_args__ = (UniqueConstraint("survey_id", "selector", name="uq_released_group"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    survey_id: uuid.UUID = Field(foreign_key="survey.id", index=True)
    selector: str = Field(sa_column=Column(Text, nullable=False))


class DriverRating(SQLModel, table=True):
    """One 1..5 rating of a driver, attached to an anonymous answer and to nothing else.

    The primary key (answer, driver) makes a re-click change the rating instead of
    adding one. Like ``response``, a ``WITHOUT ROWID`` table on SQLite, so no hidden
    rowid records the order in which ratings arrived.
    """

    __tablename__ = "driver_rating"
    __table_args__ = (
        CheckConstraint("rating >= 1 AND rating <= 5", name="ck_driver_rating_rating"),
        {"sqlite_with_rowid": False},
    )

    response_id: uuid.UUID = Field(foreign_key="response.id", primary_key=True)
    driver: str = Field(max_length=32, primary_key=True)
    rating: int


class Digest(SQLModel, table=True):
    """A digest that was posted; the unique key makes each post happen once."""

    __tablename__ = "digest"
    __table_args__ = (UniqueConstraint("survey_id", "period", "channel", name="uq_digest_once"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    survey_id: uuid.UUID = Field(foreign_key="survey.id")
    period: str = Field(max_length=32)
    channel: str = Field(max_length=64)
    posted_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Alert(SQLModel, table=True):
    """A closed-loop alert that was posted; the unique key makes each post happen once.

    ``kind`` is ``drop`` (a wave's NPS fell significantly; ``period`` is the wave) or
    ``reasons`` (detractor reasons piled up; ``period`` is the first day not covered).
    """

    __tablename__ = "alert"
    __table_args__ = (
        UniqueConstraint("survey_id", "kind", "period", "channel", name="uq_alert_once"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    survey_id: uuid.UUID = Field(foreign_key="survey.id")
    kind: str = Field(max_length=16)
    period: str = Field(max_length=32)
    channel: str = Field(max_length=64)
    posted_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ScopedViewer(SQLModel, table=True):
    """A survey's report shared with one person for one group (``label`` = ``value``).

    The viewer is named by their respondent key only, never by a platform user id: the
    bot recomputes the key of whoever asks for a report and finds their share. One share
    per person and survey; sharing again moves it to the new group.
    """

    __tablename__ = "scoped_viewer"
    __table_args__ = (UniqueConstraint("survey_id", "viewer_key", name="uq_scoped_viewer"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenant.id", index=True)
    survey_id: uuid.UUID = Field(foreign_key="survey.id", index=True)
    viewer_key: str = Field(max_length=64)
    label: str = Field(max_length=64)
    value: str = Field(max_length=200)
    shared_on: date


class PaceBucket(SQLModel, table=True):
    """The shared pace of sends to one tenant (see :mod:`storage.pacing`).

    ``due`` is when the bucket's next token falls due, in seconds since the epoch on the
    database server's clock, so replicas on machines whose clocks differ share one grid.
    Only PostgreSQL deployments use it (on SQLite one process paces in memory).
    """

    __tablename__ = "pace_bucket"

    platform: str = Field(max_length=32, primary_key=True)
    tenant: str = Field(max_length=64, primary_key=True)
    due: float
