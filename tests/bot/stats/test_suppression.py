import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.stats.suppression import (
    DEFAULT_COMMENT_THRESHOLD,
    DEFAULT_K,
    Decision,
    Group,
    Reason,
    suppress,
    suppress_tree,
    validate_comment_threshold,
    validate_k,
)


def _view(decisions: tuple[Decision, ...]) -> dict[str, tuple[int | None, Reason | None]]:
    return {"/".join(d.path): (d.count, d.reason) for d in decisions}


@pytest.mark.parametrize(
    ("parent", "groups", "expected"),
    [
        # 20 - 19 would expose B's single answer, so A goes too
        (20, {"A": 19, "B": 1}, {"A": (None, Reason.COMPLEMENT), "B": (None, Reason.TOO_FEW)}),
        # remainder 2 < 5: withhold the next-smallest (B, 8) -> remainder 10
        (
            20,
            {"A": 10, "B": 8, "C": 2},
            {"A": (10, None), "B": (None, Reason.COMPLEMENT), "C": (None, Reason.TOO_FEW)},
        ),
        # two small groups already hide 6 answers together: nothing more to do
        (
            26,
            {"A": 20, "B": 3, "C": 3},
            {"A": (20, None), "B": (None, Reason.TOO_FEW), "C": (None, Reason.TOO_FEW)},
        ),
        # everyone large enough and nothing unlabelled
        (30, {"A": 10, "B": 10, "C": 10}, {"A": (10, None), "B": (10, None), "C": (10, None)}),
        # 2 answers without a group: the smallest group (tie broken by name) covers them
        (
            32,
            {"B": 10, "A": 10, "C": 11},
            {"B": (10, None), "A": (None, Reason.COMPLEMENT), "C": (11, None)},
        ),
        # an empty group hides nothing
        (15, {"A": 15, "B": 0}, {"A": (15, None), "B": (None, Reason.TOO_FEW)}),
        # a parent under k shows nothing beneath it
        (4, {"A": 4}, {"A": (None, Reason.PARENT_WITHHELD)}),
    ],
)
def test_one_level(
    parent: int, groups: dict[str, int], expected: dict[str, tuple[int | None, Reason | None]]
) -> None:
    decisions = suppress(parent, groups)
    assert _view(decisions) == expected
    assert [d.path[-1] for d in decisions] == list(groups)
    assert all(d.shown is (d.reason is None) for d in decisions)


def test_nested_levels() -> None:
    # company: 44 - 21 - 15 = 8 hidden (support's 4 plus 4 without a department)
    # sales: 21 - 20 = 1 would expose west, so east is withheld as well
    company = Group(
        "company",
        44,
        (
            Group("sales", 21, (Group("east", 20), Group("west", 1))),
            Group("support", 4, (Group("tier1", 4),)),
            Group("eng", 15, (Group("web", 8), Group("data", 7))),
        ),
    )
    assert _view(suppress_tree(company, k=5)) == {
        "sales": (21, None),
        "sales/east": (None, Reason.COMPLEMENT),
        "sales/west": (None, Reason.TOO_FEW),
        "support": (None, Reason.TOO_FEW),
        "support/tier1": (None, Reason.PARENT_WITHHELD),
        "eng": (15, None),
        "eng/web": (8, None),
        "eng/data": (7, None),
    }


@pytest.mark.parametrize(
    "groups", [{"A": -1}, {"A": 6, "B": 6}], ids=["negative", "more than the parent"]
)
def test_invalid_counts_are_rejected(groups: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        suppress(10, groups)


def test_duplicate_names_are_rejected() -> None:
    with pytest.raises(ValueError):
        suppress_tree(Group("all", 10, (Group("A", 5), Group("A", 5))))


@pytest.mark.parametrize("k", [2, 0, -5, True, 2.5])
def test_k_below_the_minimum_is_rejected(k: int) -> None:
    with pytest.raises(ValueError):
        validate_k(k)
    with pytest.raises(ValueError):
        suppress(10, {"A": 10}, k=k)


def test_defaults() -> None:
    assert (DEFAULT_K, DEFAULT_COMMENT_THRESHOLD) == (5, 8)
    assert validate_k(3) == 3
    assert validate_comment_threshold(DEFAULT_COMMENT_THRESHOLD, k=DEFAULT_K) == 8
    with pytest.raises(ValueError):
        validate_comment_threshold(4, k=5)


@st.composite
def trees(draw: st.DrawFn, depth: int = 0) -> Group:
    """A breakdown tree: sub-groups plus 0..12 answers without a sub-group, two levels deep."""
    width = 0 if depth >= 2 else draw(st.integers(min_value=0, max_value=5))
    subtrees = [draw(trees(depth + 1)) for _ in range(width)]
    children = tuple(Group(f"g{i}", t.count, t.children) for i, t in enumerate(subtrees))
    unlabelled = draw(st.integers(min_value=0, max_value=12))
    return Group("root", sum(c.count for c in children) + unlabelled, children)


def _check(
    group: Group,
    decisions: dict[tuple[str, ...], Decision],
    *,
    path: tuple[str, ...],
    shown: bool,
    k: int,
) -> None:
    shown_children = 0
    for child in group.children:
        decision = decisions[(*path, child.name)]
        if decision.shown:
            assert shown, "nothing is shown under a withheld group"
            assert decision.count == child.count >= k
            shown_children += child.count
        else:
            assert decision.count is None
        _check(child, decisions, path=(*path, child.name), shown=decision.shown, k=k)
    if shown:
        derivable = group.count - shown_children
        assert derivable == 0 or derivable >= k


@given(trees(), st.integers(min_value=3, max_value=9))
def test_nothing_under_k_can_be_shown_or_derived(root: Group, k: int) -> None:
    decisions = {d.path: d for d in suppress_tree(root, k=k)}
    _check(root, decisions, path=(), shown=root.count >= k, k=k)


@given(
    st.dictionaries(st.sampled_from("ABCDEFG"), st.integers(min_value=0, max_value=30)),
    st.integers(min_value=0, max_value=10),
    st.integers(min_value=3, max_value=10),
)
def test_flat_breakdown_hides_a_group_of_at_least_k_or_nothing(
    groups: dict[str, int], unlabelled: int, k: int
) -> None:
    parent = sum(groups.values()) + unlabelled
    decisions = suppress(parent, groups, k=k)
    shown = [d.count for d in decisions if d.shown]
    assert all(count is not None and count >= k for count in shown)
    if shown:
        derivable = parent - sum(c for c in shown if c is not None)
        assert derivable == 0 or derivable >= k
    # only groups that are themselves too small, or needed as cover, are withheld
    for d in decisions:
        if not d.shown and parent >= k:
            assert d.reason is (Reason.TOO_FEW if groups[d.path[0]] < k else Reason.COMPLEMENT)
