"""The rules that give a person one value per label, and their precedence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.labels import (
    LABEL_LIMIT,
    GroupFault,
    LabelRuleError,
    RoleLabel,
    clean_value,
    group_fault,
    label_fault,
    layered,
    parse_field_labels,
    profile_values,
    role_values,
    usergroup_value,
)


@pytest.mark.parametrize(
    ("memberships", "priority", "expected"),
    [
        ((), (), None),
        (("sales",), (), "sales"),
        (("sales", "eng", "Design"), (), "Design"),
        (("sales", "eng"), ("sales", "eng"), "sales"),
        (("sales", "eng"), ("eng", "sales"), "eng"),
        (("oncall",), ("eng", "sales"), None),
        (("oncall", "sales"), ("eng", "sales"), "sales"),
    ],
)
def test_a_person_in_several_groups_counts_in_one(
    memberships: tuple[str, ...], priority: tuple[str, ...], expected: str | None
) -> None:
    assert usergroup_value(memberships, priority=priority) == expected


def test_the_highest_mapped_role_decides_each_label() -> None:
    mapping = {
        "1": RoleLabel("team", "eng"),
        "2": RoleLabel("team", "design"),
        "3": RoleLabel("location", "tokyo"),
    }
    assert role_values(["2", "3", "1"], mapping=mapping) == {"team": "design", "location": "tokyo"}
    assert role_values(["1", "2"], mapping=mapping) == {"team": "eng"}
    assert role_values(["9"], mapping=mapping) == {}


def test_profile_fields_by_label_without_regard_to_case_and_empty_ones_left_out() -> None:
    values = {"Department": "  Sales\tOps ", "Office": "", "Pronouns": "they"}
    fields = {"department": "team", "OFFICE": "location"}
    assert profile_values(values, field_labels=fields) == {"team": "Sales Ops"}


def test_later_sources_win_for_the_same_label() -> None:
    assert layered({"team": "eng", "role": "ic"}, {"team": "Platform"}) == {
        "team": "Platform",
        "role": "ic",
    }


def test_values_are_cut_to_the_label_limit() -> None:
    assert clean_value("x" * 100) == "x" * 64
    assert clean_value("   ") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Sales\u202eselaS", "SalesselaS"),  # a bidi override would reorder the report
        ("\x1b[31mSales\x1b[0m", "[31mSales[0m"),  # an escape would restyle a terminal
        ("Sa\x00les", "Sales"),  # PostgreSQL stores no NUL
        ("Sa\u200bles", "Sales"),
        ("Sales\udcff", "Sales"),  # a byte that was not UTF-8
        ("Sales\n\tEast", "Sales East"),
        ("\u202e\u200b", None),
        ("営業 部", "営業 部"),
    ],
)
def test_a_value_keeps_only_what_shows(value: str, expected: str | None) -> None:
    """A label from a profile field the person edits, a role or a roster is shown in
    every report's breakdown: only characters shown as themselves are kept."""
    assert clean_value(value) == expected


@pytest.mark.parametrize(
    ("label", "value", "fault"),
    [
        ("team", "eng", None),
        ("office_city", "Tokyo East", None),
        ("Bad Label", "a", None),  # an imported answer's column keeps its name as written
        ("部署", "営業\u3000一課", None),  # a roster's column, an ideographic space
        ("t" * LABEL_LIMIT, "v" * LABEL_LIMIT, None),
        ("", "eng", GroupFault.LENGTH),
        ("team", "", GroupFault.LENGTH),
        ("t" * (LABEL_LIMIT + 1), "eng", GroupFault.LENGTH),
        ("team", "v" * (LABEL_LIMIT + 1), GroupFault.LENGTH),
        ("team", "x" * 10_000, GroupFault.LENGTH),
        ("team", "\u202egne", GroupFault.CHARACTERS),  # shows as "eng" reversed
        ("team", "e\u200bng", GroupFault.CHARACTERS),  # shows as "eng"
        ("te\u200dam", "eng", GroupFault.CHARACTERS),
        ("team", "e\u2066ng", GroupFault.CHARACTERS),
        ("team", "e\tng", GroupFault.CHARACTERS),
        ("te\x00am", "eng", GroupFault.CHARACTERS),
        ("team", "eng\ue000", GroupFault.CHARACTERS),  # private use
    ],
)
def test_a_group_is_refused_when_no_label_can_hold_it(
    label: str, value: str, fault: GroupFault | None
) -> None:
    assert group_fault(label, value) is fault


@given(st.text(), st.text())
def test_every_value_a_platform_gives_can_be_a_shared_group(name: str, text: str) -> None:
    label, value = clean_value(name), clean_value(text)
    if label is not None and value is not None:
        assert group_fault(label, value) is None


@given(st.text(max_size=80))
def test_a_label_name_is_held_to_the_rule_of_a_group_name(name: str) -> None:
    """A report's breakdown takes the names a shared group may have, no other."""
    assert label_fault(name) is group_fault(name, "a")
    if clean_value(name) == name:
        assert label_fault(name) is None


def test_a_label_name_no_label_can_have_is_named_by_its_fault() -> None:
    assert label_fault("Office city") is None
    assert label_fault("") is label_fault("x" * 65) is GroupFault.LENGTH
    for hidden in ("te\u202eam", "te\u200bam", "te\x1bam", "te\nam"):
        assert label_fault(hidden) is GroupFault.CHARACTERS


def test_field_label_settings() -> None:
    assert parse_field_labels("Department:team, Office: location,") == {
        "Department": "team",
        "Office": "location",
    }
    assert parse_field_labels("") == {}
    for bad in ("Department", ":team", "Department:Team", "A:team,B:team", "A:x,a:y"):
        with pytest.raises(LabelRuleError):
            parse_field_labels(bad)
