"""What anyone may ask about their own part: opt out, opt in, privacy, forget me, help,
where replies are."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.domain.people import Person
from bot.domain.policy import FrequencyPolicy, hold_after_forgetting
from bot.usecases.chat import ChatUseCases
from bot.usecases.guards import database_guard
from bot.views.common import Notice, Tone
from storage import opt_outs
from storage.models import Survey


class Preferences(ChatUseCases):
    """A person's choices about being asked, and what the bot tells them about itself."""

    @database_guard
    async def opt_out(self, person: Person) -> Notice:
        t = self.translator(person)
        async with self._deps.database.transaction() as session:
            tenant = await self._tenant(session, person)
            added = await opt_outs.add_opt_out(
                session,
                tenant_id=tenant.id,
                respondent_key=self._key(person),
                since=self._today(),
            )
        return Notice(t("optout.done" if added else "optout.already"), Tone.SUCCESS)

    @database_guard
    async def opt_in(self, person: Person) -> Notice:
        t = self.translator(person)
        async with self._deps.database.transaction() as session:
            tenant = await self._tenant(session, person)
            removed = await opt_outs.remove_opt_out(
                session, tenant_id=tenant.id, respondent_key=self._key(person)
            )
        return Notice(t("optin.done" if removed else "optin.already"), Tone.SUCCESS)

    @database_guard
    async def privacy(self, person: Person) -> Notice:
        """How answers are kept anonymous, stating the k of the person's default survey
        (the same words and number App Home shows)."""
        async with self._deps.database.transaction() as session:
            _, survey = await self._default_survey(session, person)
        return Notice(self._privacy_text(self.translator(person), k=survey.k_min))

    @database_guard
    async def forget_me(self, person: Person) -> Notice:
        """Delete everything keyed to this person but, for each survey whose cap their
        asks still weigh in, the first day they may be asked it again: forgetting must
        not be a way to answer the same survey twice. Their answers were anonymous all
        along and stay."""
        t = self.translator(person)
        today = self._today()

        def hold(survey: Survey, asked_on: Sequence[date], not_before: date | None) -> date | None:
            policy = FrequencyPolicy.of(survey)
            return hold_after_forgetting(asked_on, policy, not_before=not_before, today=today)

        # Forgetting is rare: the deletions' storage loads with the first one.
        from storage import deletion

        async with self._deps.database.transaction() as session:
            tenant = await self._tenant(session, person)
            await deletion.forget_person(
                session, tenant_id=tenant.id, respondent_key=self._key(person), hold=hold
            )
        return Notice(t("forget.done"), Tone.SUCCESS)

    async def help(self, person: Person) -> Notice:
        t = self.translator(person)
        return Notice(t("help.text") + "\n" + t("help.replies"))

    def where_replies_are(self, person: Person) -> Notice:
        """Where a person reads the replies to their comment: the button only they hold
        (no command can find their thread: nothing links it to them)."""
        return Notice(self.translator(person)("help.replies"), Tone.INFO)
