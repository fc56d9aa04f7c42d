"""What may be released about a survey's answers, given everything released before (pure).

**Model.** Answers are grouped into *atoms*: answers alike in every attribute a release can
select by (the release step that made them visible, the day, the wave, the labels). Every
released figure — a count, a composition, a histogram, the bounds and response rate drawn
from them — is a sum over the atoms of one group, named by a :class:`Selector`. A reader
who keeps every release can add and subtract them, so what they know is the span of the
groups' 0/1 vectors over the atoms. A set of answers with more than 0 and fewer than ``k``
members is *sensitive*: no combination of releases may yield it.

**Rule.** :meth:`Disclosure.admit` accepts a group only if, with everything already
released (the ledger) and admitted in this round, no sensitive set becomes computable:

* A group with fewer than ``k`` answers is refused outright (:attr:`Verdict.TOO_FEW`).
* Atoms lying in exactly the same released groups form a *part*, and every 0/1 vector of
  the span is a union of parts. When every part some release reaches holds at least
  ``k`` answers, nothing sensitive can be computed: admitted.
* Otherwise :func:`bot.stats.derivable.new_small_derivable` decides exactly whether a
  union of small parts has become computable (:attr:`Verdict.REVEALS` if so).

Time is part of the model: a group is always "as of" a release step, and answers join a
step only in batches of at least ``k`` (see :mod:`bot.usecases.gate`), so a figure
released again later differs from its earlier self by a group the same rule checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from bot.stats.derivable import new_small_derivable, rows_over_parts

# The rule's vocabulary lives apart (no numpy there); named here as the rule's too.
from bot.stats.selection import ABSENT, Atom, Selector, Verdict

__all__ = ["Atom", "Atoms", "Disclosure", "Selector", "Verdict"]


@dataclass
class Atoms:
    """Atoms as columns, so that a selector's group is one vectorised comparison."""

    steps: npt.NDArray[np.int64]
    days: npt.NDArray[np.int64]
    waves: npt.NDArray[np.int64]
    counts: npt.NDArray[np.int64]
    wave_codes: dict[str, int]
    label_columns: dict[str, npt.NDArray[np.int64]]
    label_codes: dict[str, dict[str, int]]
    size: int = field(init=False)

    def __post_init__(self) -> None:
        self.size = int(self.counts.size)

    @classmethod
    def of(cls, atoms: Iterable[Atom]) -> Atoms:
        """Columns of ``atoms``; atoms with no answers are dropped (they change nothing)."""
        kept = [atom for atom in atoms if atom.count > 0]
        wave_codes: dict[str, int] = {}
        label_codes: dict[str, dict[str, int]] = {}
        for atom in kept:
            if atom.wave is not None:
                wave_codes.setdefault(atom.wave, len(wave_codes))
            for name, value in atom.labels.items():
                codes = label_codes.setdefault(name, {})
                codes.setdefault(value, len(codes))
        label_columns = {
            name: np.array(
                [codes.get(a.labels.get(name, ""), -1) if name in a.labels else -1 for a in kept],
                dtype=np.int64,
            )
            for name, codes in label_codes.items()
        }
        return cls(
            steps=np.array([a.step for a in kept], dtype=np.int64),
            days=np.array([a.day.toordinal() for a in kept], dtype=np.int64),
            waves=np.array(
                [-1 if a.wave is None else wave_codes[a.wave] for a in kept], dtype=np.int64
            ),
            counts=np.array([a.count for a in kept], dtype=np.int64),
            wave_codes=wave_codes,
            label_columns=label_columns,
            label_codes=label_codes,
        )

    def mask(self, selector: Selector) -> npt.NDArray[np.bool_]:
        """Which atoms belong to the group of ``selector``."""
        found = self.steps <= selector.through_step
        if selector.since is not None:
            found &= self.days >= selector.since.toordinal()
        if selector.until is not None:
            found &= self.days < selector.until.toordinal()
        if selector.waves is not None:
            codes = [self.wave_codes[w] for w in selector.waves if w in self.wave_codes]
            found &= np.isin(self.waves, codes)
        for name, value in selector.labels:
            column = self.label_columns.get(name)
            if column is None:
                if value is not ABSENT:
                    found &= False
                continue
            if value is ABSENT:
                found &= column == -1
            else:
                code = self.label_codes[name].get(value)
                found &= column == (-2 if code is None else code)
        return found

    def count(self, selector: Selector) -> int:
        """How many answers the group of ``selector`` holds."""
        return int(self.counts[self.mask(selector)].sum())


class Disclosure:
    """Decisions for one survey: the ledger of released groups and this round's admissions.

    Not thread-safe and short-lived: built for one release (a report, a digest, an
    export), then its :attr:`admitted` selectors are added to the ledger.
    """

    def __init__(self, atoms: Atoms, *, k: int, released: Sequence[Selector]) -> None:
        self._atoms = atoms
        self._k = k
        self._keys: set[str] = set()
        self._masks: list[npt.NDArray[np.bool_]] = []
        self._parts = np.zeros(atoms.size, dtype=np.int64)
        self._covered = np.zeros(atoms.size, dtype=bool)
        self.admitted: list[Selector] = []
        for selector in released:
            self._add(selector, self._atoms.mask(selector))

    def admit(self, selector: Selector) -> Verdict:
        """Decide ``selector``'s group; an admitted group joins what later decisions see."""
        if selector.key() in self._keys:
            return Verdict.ADMITTED
        mask = self._atoms.mask(selector)
        if int(self._atoms.counts[mask].sum()) < self._k:
            return Verdict.TOO_FEW
        parts, covered = self._refined(mask)
        if self._reveals(mask, parts, covered):
            return Verdict.REVEALS
        self._add(selector, mask, parts=parts, covered=covered)
        self.admitted.append(selector)
        return Verdict.ADMITTED

    def _refined(
        self, mask: npt.NDArray[np.bool_]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        _, parts = np.unique(self._parts * 2 + mask, return_inverse=True)
        return parts.astype(np.int64).reshape(-1), self._covered | mask

    def _add(
        self,
        selector: Selector,
        mask: npt.NDArray[np.bool_],
        *,
        parts: npt.NDArray[np.int64] | None = None,
        covered: npt.NDArray[np.bool_] | None = None,
    ) -> None:
        if parts is None or covered is None:
            parts, covered = self._refined(mask)
        self._parts, self._covered = parts, covered
        self._masks.append(mask)
        self._keys.add(selector.key())

    def _reveals(
        self,
        mask: npt.NDArray[np.bool_],
        parts: npt.NDArray[np.int64],
        covered: npt.NDArray[np.bool_],
    ) -> bool:
        reached = np.unique(parts[covered])
        totals = np.bincount(parts, weights=self._atoms.counts).astype(np.int64)
        if (totals[reached] >= self._k).all():
            return False
        # One representative atom per reached part: every mask is constant on a part.
        first = np.full(int(parts.max()) + 1, -1, dtype=np.int64)
        indices = np.flatnonzero(covered)[::-1]
        first[parts[indices]] = indices  # repeated parts: the last write, the first atom, wins
        representatives = first[reached].astype(np.intp)
        before = rows_over_parts(self._masks, representatives)
        added = mask[representatives]
        return new_small_derivable(before, added, totals[reached], k=self._k)
