"""The disclosure rule: cases from real attacks, and an attacker playing random releases."""

from __future__ import annotations

import itertools
from datetime import date
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.stats.disclosure import Atom, Atoms, Disclosure, Selector, Verdict

K = 5
MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


def atom(
    count: int, *, step: int = 1, day: date = MARCH, wave: str | None = None, **labels: str
) -> Atom:
    return Atom(step=step, day=day, wave=wave, labels=labels, count=count)


def decide(
    atoms: list[Atom], selectors: list[Selector], *, released: tuple[Selector, ...] = ()
) -> list[Verdict]:
    disclosure = Disclosure(Atoms.of(atoms), k=K, released=released)
    return [disclosure.admit(s) for s in selectors]


def team(value: str, step: int = 1) -> Selector:
    return Selector(through_step=step, labels=(("team", value),))


def role(value: str, step: int = 1) -> Selector:
    return Selector(through_step=step, labels=(("role", value),))


EVERYONE = Selector(through_step=1)


def test_a_group_that_would_reveal_the_rest_by_subtraction_is_withheld() -> None:
    atoms = [atom(19, team="a"), atom(1, team="b")]
    assert decide(atoms, [EVERYONE, team("a"), team("b")]) == [
        Verdict.ADMITTED,
        Verdict.REVEALS,
        Verdict.TOO_FEW,
    ]


def test_two_safe_breakdowns_cannot_be_subtracted_from_each_other() -> None:
    # role "eng" is team a minus its one manager.
    atoms = [
        atom(9, team="a", role="eng"),
        atom(1, team="a", role="mgr"),
        atom(10, team="b", role="ops"),
    ]
    assert decide(atoms, [EVERYONE, team("a"), team("b")]) == [Verdict.ADMITTED] * 3
    assert decide(atoms, [role("eng"), role("ops")], released=(EVERYONE, team("a"), team("b"))) == [
        Verdict.REVEALS,
        Verdict.ADMITTED,
    ]


def test_crossed_breakdowns_are_shown_when_no_small_set_follows() -> None:
    # Every team × role cell has 3 answers: the margins are safe although the cells are not.
    atoms = [atom(3, team=t, role=r) for t in "ab" for r in ("x", "y")]
    selectors = [EVERYONE, team("a"), team("b"), role("x"), role("y")]
    assert decide(atoms, selectors) == [Verdict.ADMITTED] * 5


def test_a_crossed_cell_on_top_of_the_margins_is_withheld() -> None:
    atoms = [atom(3, team=t, role=r) for t in "ab" for r in ("x", "y")]
    margins = (EVERYONE, team("a"), team("b"), role("x"), role("y"))
    cell = Selector(through_step=1, labels=(("team", "a"), ("role", "x")))
    assert decide(atoms, [cell], released=margins) == [Verdict.TOO_FEW]


def test_the_last_margin_is_withheld_when_it_would_leave_one_person_unclassified() -> None:
    # total − x − y is the one person with role z.
    atoms = [atom(6, team=t, role=r) for t in "ab" for r in ("x", "y")] + [
        atom(1, team="a", role="z")
    ]
    selectors = [EVERYONE, team("a"), team("b"), role("x"), role("y"), role("z")]
    assert decide(atoms, selectors) == [Verdict.ADMITTED] * 4 + [Verdict.REVEALS, Verdict.TOO_FEW]


def test_nested_periods_cannot_reveal_a_withheld_month() -> None:
    jan, feb, mar = date(2026, 1, 5), date(2026, 2, 5), date(2026, 3, 5)
    atoms = [atom(6, day=jan), atom(6, day=feb), atom(3, day=mar)]
    quarter = Selector(through_step=1, since=date(2026, 1, 1), until=APRIL)
    months = [
        Selector(through_step=1, since=date(2026, m, 1), until=date(2026, m + 1, 1))
        for m in (1, 2, 3)
    ]
    verdicts = decide(atoms, [quarter, *months])
    assert verdicts[0] is Verdict.ADMITTED
    assert verdicts[3] is Verdict.TOO_FEW
    assert Verdict.REVEALS in verdicts[1:3]  # January and February cannot both be shown


def test_a_figure_shown_again_after_one_more_answer_is_withheld() -> None:
    atoms = [
        atom(10, team="a"),
        atom(10, team="b"),
        atom(1, step=2, team="a"),
        atom(4, step=2, team="b"),
    ]
    earlier = (Selector(through_step=1), team("a"), team("b"))
    later = decide(atoms, [Selector(through_step=2), team("a", 2), team("b", 2)], released=earlier)
    assert later == [Verdict.ADMITTED, Verdict.REVEALS, Verdict.REVEALS]


def test_a_large_group_keeps_its_numbers() -> None:
    atoms = [atom(40, team="a"), atom(30, team="b"), atom(2, team="c"), atom(3, team="d")]
    assert decide(atoms, [EVERYONE, team("a"), team("b"), team("c"), team("d")]) == [
        Verdict.ADMITTED,
        Verdict.ADMITTED,
        Verdict.ADMITTED,
        Verdict.TOO_FEW,
        Verdict.TOO_FEW,
    ]


def test_selectors_round_trip_through_their_key() -> None:
    selector = Selector(
        through_step=3,
        since=MARCH,
        until=APRIL,
        waves=frozenset({"w1"}),
        labels=(("team", "a"), ("role", None)),
    )
    assert Selector.from_key(selector.key()) == selector


# --- the attacker -------------------------------------------------------------------------

LABELS = ("a", "b", "c")


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[Atom], list[Selector]]:
    atoms = [
        atom(
            draw(st.integers(1, 7)),
            step=draw(st.integers(1, 3)),
            day=draw(st.sampled_from([date(2026, 1, 10), date(2026, 2, 10), date(2026, 3, 10)])),
            wave=draw(st.sampled_from([None, "w1", "w2"])),
            team=draw(st.sampled_from(LABELS)),
            role=draw(st.sampled_from(LABELS)),
        )
        for _ in range(draw(st.integers(1, 8)))
    ]
    selector = st.builds(
        Selector,
        through_step=st.integers(1, 3),
        since=st.sampled_from([None, date(2026, 2, 1), date(2026, 3, 1)]),
        until=st.sampled_from([None, date(2026, 2, 1), date(2026, 3, 1)]),
        waves=st.sampled_from(
            [None, frozenset({"w1"}), frozenset({"w2"}), frozenset({"w1", "w2"})]
        ),
        labels=st.sampled_from(
            [
                (),
                (("team", "a"),),
                (("team", "b"),),
                (("role", "a"),),
                (("role", "c"),),
                (("team", "a"), ("role", "b")),
            ]
        ),
    )
    return atoms, draw(st.lists(selector, max_size=10))


def in_span(rows: list[list[int]], target: list[int]) -> bool:
    """Exact rational test, written independently of the module under test."""
    basis: list[list[Fraction]] = []
    pivots: list[int] = []
    for row in [*rows]:
        vector = [Fraction(v) for v in row]
        for b, p in zip(basis, pivots, strict=True):
            if vector[p]:
                factor = vector[p]
                vector = [x - factor * y for x, y in zip(vector, b, strict=True)]
        lead = next((i for i, v in enumerate(vector) if v), None)
        if lead is not None:
            vector = [x / vector[lead] for x in vector]
            for i, b in enumerate(basis):
                if b[lead]:
                    factor = b[lead]
                    basis[i] = [x - factor * y for x, y in zip(b, vector, strict=True)]
            basis.append(vector)
            pivots.append(lead)
    residual = [Fraction(v) for v in target]
    for b, p in zip(basis, pivots, strict=True):
        if residual[p]:
            factor = residual[p]
            residual = [x - factor * y for x, y in zip(residual, b, strict=True)]
    return not any(residual)


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_no_combination_of_admitted_groups_isolates_fewer_than_k_answers(
    scenario: tuple[list[Atom], list[Selector]],
) -> None:
    atoms, selectors = scenario
    columns = Atoms.of(atoms)
    disclosure = Disclosure(columns, k=K, released=())
    for selector in selectors:
        disclosure.admit(selector)
    rows = [[int(v) for v in columns.mask(s)] for s in disclosure.admitted]
    for size in range(1, len(atoms) + 1):
        for chosen in itertools.combinations(range(len(atoms)), size):
            answers = sum(atoms[i].count for i in chosen)
            if 0 < answers < K:
                target = [int(i in chosen) for i in range(len(atoms))]
                assert not in_span(rows, target), (chosen, disclosure.admitted)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(K, 40), min_size=1, max_size=6))
def test_everyone_is_always_shown_once_there_are_k_answers(counts: list[int]) -> None:
    atoms = [atom(c, team=str(i)) for i, c in enumerate(counts)]
    assert decide(atoms, [EVERYONE]) == [Verdict.ADMITTED]
