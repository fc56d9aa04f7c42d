"""The disclosure gate: the one place that decides what may leave the database.

Every report, digest, alert and export of a survey runs inside one :class:`Release`:

1. :func:`open_release` locks the survey's release state, cuts a new release step when
   at least ``k`` answers are waiting (answers join what reports can see only in such
   batches, so no figure moves by a single answer), and loads the ledger of groups
   released before together with the released answers' atoms.
2. Each figure's group is put to :meth:`Release.admit` (the rule of
   :mod:`bot.stats.disclosure`); a refused group is withheld, with the reason.
3. :meth:`Release.close` writes the admitted groups to the ledger, in the same
   transaction as the decision, so later releases are judged against them.

Texts (reasons, themes, quotes) and driver ratings move in steps of their own: their
corpus advances to the newest release step only when it gained either nothing or at
least its threshold since the last time (``k_comments`` reasons on each side; ``k`` rated
answers), so consecutive themes, quotes or driver analyses never differ by one person.
Nothing here formats or renders; callers turn the verdicts into words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.stats.selection import Atom, Selector, Verdict
from storage import disclosure as ledger
from storage import mixing
from storage.models import ReleaseState, Survey

if TYPE_CHECKING:
    from bot.stats.disclosure import Atoms, Disclosure


@dataclass
class Release:
    """One release of one survey, open inside the caller's transaction."""

    survey: Survey
    state: ReleaseState
    released: tuple[Atom, ...]
    """The visible answers as atoms (alike in step, day, wave and labels)."""
    atoms: Atoms
    disclosure: Disclosure
    waiting: int
    """Answers that arrived after the newest step (fewer than ``k``): not yet counted."""
    verdicts: dict[str, Verdict] = field(default_factory=dict)

    @property
    def step(self) -> int:
        """The newest release step: figures count the answers up to it."""
        return self.state.step

    @property
    def text_step(self) -> int:
        """The step reasons, themes and quotes are drawn up to (0: none yet)."""
        return self.state.text_step

    @property
    def ratings_step(self) -> int:
        """The step driver ratings are analysed up to (0: none yet)."""
        return self.state.ratings_step

    def group(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        waves: frozenset[str] | None = None,
        labels: tuple[tuple[str, str | None], ...] = (),
    ) -> Selector:
        """The selector of a group of this release's visible answers."""
        return Selector(
            through_step=self.step, since=since, until=until, waves=waves, labels=labels
        )

    def admit(self, selector: Selector) -> Verdict:
        """Whether the figures of ``selector``'s group may be released (and why not)."""
        verdict = self.disclosure.admit(selector)
        self.verdicts[selector.key()] = verdict
        return verdict

    def count(self, selector: Selector) -> int:
        """How many visible answers ``selector``'s group holds (for the gate's callers'
        ordering only: a count is released only with an admitted group)."""
        return self.atoms.count(selector)

    async def close(self, session: AsyncSession) -> None:
        """Write the groups admitted in this release to the ledger."""
        await ledger.record_released(
            session,
            survey_id=self.survey.id,
            selectors=[selector.key() for selector in self.disclosure.admitted],
        )


async def open_release(session: AsyncSession, *, survey: Survey) -> Release:
    """Begin a release of ``survey`` (see the module docstring); close it with
    :meth:`Release.close` before the transaction commits."""
    state = await ledger.lock_release(session, survey_id=survey.id, k=survey.k_min)
    waiting = await ledger.waiting_answers(session, survey_id=survey.id)
    if waiting >= survey.k_min:
        await ledger.cut_step(session, state=state, pool=mixing.Pool.of(survey))
        waiting = 0
    await _advance_texts(session, state=state, threshold=survey.k_comments)
    if survey.drivers:  # no driver questions: no ratings to count
        await _advance_ratings(session, state=state, threshold=survey.k_min)
    # The rule needs numpy: it is loaded by the first release, not when the process starts.
    from bot.stats.disclosure import Atoms, Disclosure

    rows = await ledger.atoms(session, survey_id=survey.id, through_step=state.step)
    visible = tuple(
        Atom(step=r.step, day=r.day, wave=r.wave, labels=r.labels, count=r.count) for r in rows
    )
    atoms = Atoms.of(visible)
    released = [
        Selector.from_key(text)
        for text in await ledger.released_selectors(session, survey_id=survey.id)
    ]
    return Release(
        survey=survey,
        state=state,
        released=visible,
        atoms=atoms,
        disclosure=Disclosure(atoms, k=survey.k_min, released=released),
        waiting=waiting,
    )


def _advances(gained: list[int], *, threshold: int) -> bool:
    """A corpus may move on when some side gained and no side gained a few (1..t−1)."""
    return any(gained) and all(n == 0 or n >= threshold for n in gained)


async def _advance_texts(session: AsyncSession, *, state: ReleaseState, threshold: int) -> None:
    if state.text_step >= state.step:
        return
    gained = await ledger.reasons_by_side(
        session, survey_id=state.survey_id, after_step=state.text_step, through_step=state.step
    )
    if _advances(list(gained), threshold=threshold):
        await ledger.set_steps(session, state=state, text_step=state.step)


async def _advance_ratings(session: AsyncSession, *, state: ReleaseState, threshold: int) -> None:
    if state.ratings_step >= state.step:
        return
    gained = await ledger.rated_answers(
        session, survey_id=state.survey_id, after_step=state.ratings_step, through_step=state.step
    )
    if _advances([gained], threshold=threshold):
        await ledger.set_steps(session, state=state, ratings_step=state.step)
