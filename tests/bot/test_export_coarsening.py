"""Exported microdata: every published description is shared by k answers, and nothing
published can be subtracted down to fewer than k."""

from __future__ import annotations

import itertools
import uuid
from collections import Counter
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.stats.disclosure import Atom, Atoms, Disclosure
from bot.usecases.gate import Release
from bot.usecases.transfer.coarsening import AtomKey, Grain, Rung, atom_key, ladder, publish
from storage.models import ReleaseState, Survey
from tests.bot.stats.test_disclosure import in_span

K = 5


def release_of(atoms: list[Atom]) -> Release:
    survey = Survey(tenant_id=uuid.uuid4(), name="eng", k_min=K, k_comments=8)
    columns = Atoms.of(atoms)
    return Release(
        survey=survey,
        state=ReleaseState(survey_id=survey.id, step=1),
        released=tuple(atoms),
        atoms=columns,
        disclosure=Disclosure(columns, k=K, released=()),
        waiting=0,
    )


def keyed(atoms: list[Atom]) -> list[tuple[AtomKey, int]]:
    return [(atom_key(a.step, a.day, a.wave, a.labels), a.count) for a in atoms]


def test_the_ladder_coarsens_one_thing_at_a_time_down_to_nothing() -> None:
    rungs = list(ladder(["team", "role"]))
    assert rungs[0] == Rung(("team", "role"), Grain.MONTH)
    assert rungs[-1] == Rung((), Grain.NONE)
    for finer, coarser in itertools.pairwise(rungs):
        assert set(coarser.labels) <= set(finer.labels) and coarser.grain >= finer.grain
        assert (len(finer.labels) - len(coarser.labels)) + (coarser.grain - finer.grain) == 1


def test_the_only_design_manager_is_not_exported_with_her_labels() -> None:
    march = date(2026, 3, 4)
    atoms = [
        Atom(1, march, None, {"team": "design", "role": "ic"}, 6),
        Atom(1, march, None, {"team": "eng", "role": "manager"}, 6),
        Atom(1, march, None, {"team": "eng", "role": "ic"}, 6),
        Atom(1, date(2026, 3, 20), None, {"team": "design", "role": "manager"}, 1),
    ]
    published = publish(release_of(atoms), keyed(atoms))
    lonely = atom_key(1, date(2026, 3, 20), None, {"team": "design", "role": "manager"})
    described = published.get(lonely)
    assert described is None or described.class_size >= K
    assert all(p.period != "2026-03-20" and len(p.period) <= 7 for p in published.values())
    big = published[atom_key(1, march, None, {"team": "eng", "role": "ic"})]
    assert big.labels == {"team": "eng", "role": "ic"} and big.period == "2026-03"


@st.composite
def microdata(draw: st.DrawFn) -> list[Atom]:
    days = [date(2026, 1, 9), date(2026, 2, 9), date(2026, 5, 9), date(2027, 1, 9)]
    found: dict[tuple[date, str | None, str], int] = {}
    for _ in range(draw(st.integers(1, 9))):
        key = (
            draw(st.sampled_from(days)),
            draw(st.sampled_from(["a", "b", None])),
            draw(st.sampled_from(["x", "y"])),
        )
        found[key] = found.get(key, 0) + draw(st.integers(1, 7))
    return [
        Atom(1, day, None, {"role": role, **({"team": team} if team else {})}, count)
        for (day, team, role), count in found.items()
    ]


@settings(max_examples=200, deadline=None)
@given(microdata())
def test_every_published_description_hides_k_answers_and_no_class_subtracts_below_k(
    atoms: list[Atom],
) -> None:
    release = release_of(atoms)
    published = publish(release, keyed(atoms))
    counts = dict(keyed(atoms))
    shared: Counter[tuple[str, frozenset[tuple[str, str]]]] = Counter()
    for key, described in published.items():
        shared[(described.period, frozenset(described.labels.items()))] += counts[key]
    assert all(n >= K for n in shared.values())
    # The classes published, as the attacker sees them: each description's answer set.
    index = {key: i for i, (key, _) in enumerate(keyed(atoms))}
    rows = []
    for description in shared:
        members = {
            index[k]
            for k, d in published.items()
            if (d.period, frozenset(d.labels.items())) == description
        }
        rows.append([int(i in members) for i in range(len(atoms))])
    for size in range(1, len(atoms) + 1):
        for chosen in itertools.combinations(range(len(atoms)), size):
            if 0 < sum(atoms[i].count for i in chosen) < K:
                assert not in_span(rows, [int(i in chosen) for i in range(len(atoms))])
