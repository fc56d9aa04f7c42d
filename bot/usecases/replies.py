"""Admins' side of anonymous replies: answer a quoted comment, read the threads.

A reply goes to the anonymous answer a comment handle names, and only to a comment a
report can quote: released by the survey's text step, on a side with at least
``k_comments`` reasons (:func:`bot.report.build.quotable`), so replying discloses
nothing the gate did not release. Nothing is sent to anyone: the respondent reads the
thread through their own token (:mod:`bot.usecases.reply_reading`) after the periodic
notice (:mod:`bot.usecases.reply_notices`). A respondent's answer-back is shown to
admins only once that notice covered it, so watching this view does not time them.
See ``docs/design/replies.md``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.commands import ReplyCommand
from bot.domain.errors import SurveyError
from bot.domain.inputs import clean_text
from bot.domain.people import Person
from bot.domain.replies import REPLY_LIMIT, inert_text, typed_handle
from bot.i18n import Translator
from bot.usecases.context import WaveDeps
from bot.usecases.guards import admin_only, database_guard
from bot.usecases.keys import PersonKeys
from bot.usecases.survey_admin import NOT_ALLOWED, in_words
from bot.usecases.surveys import named_survey
from bot.views.common import Notice, Tone
from storage import replies as store
from storage.models import Survey
from storage.replies import Added, Author


@dataclass(frozen=True)
class ThreadSummary:
    """A thread as admins see it: the comment's handle, closed or not, and the messages
    they may read (inert text, in order)."""

    handle: str
    closed: bool
    messages: tuple[tuple[Author, str], ...]


class ReplyAdmin:
    """Replies from admins and the operator. Construct once in the composition root."""

    def __init__(self, deps: WaveDeps) -> None:
        self._deps = deps
        self._keys = PersonKeys(deps.pepper)

    def translator(self, person: Person) -> Translator:
        return self._deps.translator_for(person.locale)

    @admin_only(NOT_ALLOWED)
    @database_guard
    @in_words
    async def reply(self, person: Person, command: ReplyCommand) -> Notice:
        """``/nps reply SURVEY COMMENT TEXT…`` in the admin's own workspace or server."""
        if not command.survey or not command.comment:
            return Notice(self.translator(person)("replies.usage"), Tone.WARNING)
        await self.send(
            platform=person.platform,
            tenant=person.tenant,
            name=command.survey,
            handle=command.comment,
            text=command.text,
        )
        return Notice(self.translator(person)("replies.sent", handle=command.comment), Tone.SUCCESS)

    async def send(self, *, platform: str, tenant: str, name: str, handle: str, text: str) -> bool:
        """Add ``text`` to the thread of the comment ``handle`` of survey ``name``; True
        when it opened the thread, False when the thread had messages already.

        :class:`SurveyError` for an unknown survey, a handle that names no comment the
        report can quote, an empty or too long text, or a thread the respondent closed;
        nothing is stored then.
        """
        words = clean_text(text)
        if not words:
            raise SurveyError("the reply is empty", key="replies.error.empty")
        if len(words) > REPLY_LIMIT:
            raise SurveyError(
                f"a reply has at most {REPLY_LIMIT} characters",
                key="replies.error.too_long",
                limit=REPLY_LIMIT,
            )
        async with self._deps.database.transaction() as session:
            survey = await named_survey(session, platform=platform, tenant=tenant, name=name)
            answer = await self._answer_of(session, survey, handle)
            if answer is None:
                raise SurveyError(
                    f"no comment {handle!r} can be replied to in survey {name!r}",
                    key="replies.error.unknown_comment",
                    handle=handle,
                )
            before = await store.thread_of(session, tenant_id=survey.tenant_id, answer_id=answer)
            added = await store.add_message(
                session,
                tenant_id=survey.tenant_id,
                survey_id=survey.id,
                answer_id=answer,
                author=Author.ADMIN,
                text=words,
                today=self._deps.clock().date(),
            )
        if added is Added.CLOSED:
            raise SurveyError("the thread was closed", key="replies.error.closed")
        return before is None

    async def threads(self, *, platform: str, tenant: str, name: str) -> list[ThreadSummary]:
        """Every thread of survey ``name``, by handle; answer-backs not yet announced are
        left out."""
        async with self._deps.database.transaction() as session:
            survey = await named_survey(session, platform=platform, tenant=tenant, name=name)
            found = await store.threads_of_survey(session, survey_id=survey.id)
        return [
            ThreadSummary(
                handle=self._keys.handles.handle(survey.id, thread.answer_id),
                closed=thread.closed,
                messages=tuple(
                    (message.author, inert_text(message.text))
                    for message in thread.messages
                    if message.author is Author.ADMIN or message.announced
                ),
            )
            for thread in found
        ]

    async def _answer_of(
        self, session: AsyncSession, survey: Survey, typed: str
    ) -> uuid.UUID | None:
        """The answer whose comment has handle ``typed``, among those a report may quote."""
        handle = typed_handle(typed)
        step = await store.released_text_step(session, survey_id=survey.id)
        if handle is None or not step:
            return None
        from bot.report.build import quotable
        from storage import aggregates

        reasons = await aggregates.reasons(session, survey_id=survey.id, through_step=step)
        for reason in quotable(reasons, threshold=survey.k_comments):
            answer = reason.answer_id
            if answer is not None and self._keys.handles.handle(survey.id, answer) == handle:
                return answer
        return None
