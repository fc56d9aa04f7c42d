"""The respondent's side of anonymous replies: read, answer back, close.

The person reaches the thread of their answer only through their reply token, sealed
with their respondent key as associated data and never stored. A token that is forged,
foreign or expired gets exactly what a genuine token without a thread gets (an empty
:class:`RepliesView`), so no token tells whether anyone else has a thread. Reading
writes nothing; an answer-back is one row of the thread and nothing about the person.
See ``docs/design/replies.md``.
"""

from __future__ import annotations

import uuid

from bot.domain.inputs import clean_text
from bot.domain.people import Person
from bot.domain.replies import REPLY_LIMIT, inert_text
from bot.i18n import Translator
from bot.usecases.chat import ChatUseCases
from bot.usecases.guards import database_guard
from bot.views.common import Notice, Tone
from bot.views.replies import RepliesButton, RepliesView, ReplyLine
from storage import replies as store
from storage.replies import Added, Author, Thread


class ReplyReading(ChatUseCases):
    """What a person does with the replies to their answer."""

    def replies_button(self, person: Person, *, reason_token: str) -> RepliesButton | None:
        """The "See replies" button for the thanks message of the answer ``reason_token``
        names, or None for a token that is not this person's (nothing to offer)."""
        answer = self._keys.tokens.verify(reason_token, key=self._key(person), today=self._today())
        if answer is None:
            return None
        token = self._keys.replies.issue(
            response_id=answer, key=self._key(person), today=self._today()
        )
        t = self.translator(person)
        return RepliesButton(label=t("replies.see"), token=token, note=t("replies.kept"))

    @database_guard
    async def show_replies(self, person: Person, *, token: str) -> RepliesView:
        """The thread of the answer ``token`` names, or the empty view."""
        t = self.translator(person)
        answer = self._answer(person, token)
        if answer is None:
            return _view(t, None, token)
        async with self._deps.database.transaction() as session:
            tenant = await self._tenant(session, person)
            thread = await store.thread_of(session, tenant_id=tenant.id, answer_id=answer)
        return _view(t, thread, token)

    @database_guard
    async def answer_back(self, person: Person, *, token: str, text: str) -> RepliesView | Notice:
        """Add the person's ``text`` to their answer's thread and show it again. Refused
        with nothing stored: empty or too long (``retry``), a closed thread; a token
        without a thread (or not theirs) gets the empty view."""
        t = self.translator(person)
        words = clean_text(text)
        if not words:
            return Notice(t("replies.empty"), Tone.ERROR, retry=True)
        if len(words) > REPLY_LIMIT:
            return Notice(
                t("replies.too_long", length=len(words), limit=REPLY_LIMIT), Tone.ERROR, retry=True
            )
        answer = self._answer(person, token)
        if answer is None:
            return _view(t, None, token)
        async with self._deps.database.transaction() as session:
            tenant = await self._tenant(session, person)
            thread = await store.thread_of(session, tenant_id=tenant.id, answer_id=answer)
            if thread is None:
                return _view(t, None, token)
            added = await store.add_message(
                session,
                tenant_id=tenant.id,
                survey_id=thread.survey_id,
                answer_id=answer,
                author=Author.RESPONDENT,
                text=words,
                today=self._today(),
            )
            if added is Added.CLOSED:
                return Notice(t("replies.closed"), Tone.INFO)
            thread = await store.thread_of(session, tenant_id=tenant.id, answer_id=answer)
        return _view(t, thread, token)

    @database_guard
    async def close_replies(self, person: Person, *, token: str) -> RepliesView:
        """Close the person's thread: no more replies from either side. Shows it again."""
        t = self.translator(person)
        answer = self._answer(person, token)
        if answer is None:
            return _view(t, None, token)
        async with self._deps.database.transaction() as session:
            tenant = await self._tenant(session, person)
            await store.close_thread(session, tenant_id=tenant.id, answer_id=answer)
            thread = await store.thread_of(session, tenant_id=tenant.id, answer_id=answer)
        return _view(t, thread, token)

    def _answer(self, person: Person, token: str) -> uuid.UUID | None:
        return self._keys.replies.verify(token, key=self._key(person), today=self._today())


def _view(t: Translator, thread: Thread | None, token: str) -> RepliesView:
    lines: tuple[ReplyLine, ...]
    if thread is None or not thread.messages:
        intro, lines, is_open = t("replies.none"), (), False
    else:
        intro = t("replies.closed") if thread.closed else t("replies.intro")
        lines = tuple(
            ReplyLine(
                who=t("replies.from_admin" if m.author is Author.ADMIN else "replies.from_you"),
                text=inert_text(m.text),
            )
            for m in thread.messages
        )
        is_open = not thread.closed
    return RepliesView(
        title=t("replies.title"),
        intro=intro,
        lines=lines,
        token=token,
        open=is_open,
        answer_label=t("replies.answer"),
        close_label=t("replies.close"),
        input_label=t("replies.input"),
        submit_label=t("replies.submit"),
        limit=REPLY_LIMIT,
        typed_hint=t("replies.typed_hint"),
    )
