"""The rules that give a person one value per label, and their precedence."""

from __future__ import annotations

import pytest

from bot.domain.labels import (
    LabelRuleError,
    RoleLabel,
    clean_value,
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


def test_field_label_settings() -> None:
    assert parse_field_labels("Department:team, Office: location,") == {
        "Department": "team",
        "Office": "location",
    }
    assert parse_field_labels("") == {}
    for bad in ("Department", ":team", "Department:Team", "A:team,B:team", "A:x,a:y"):
        with pytest.raises(LabelRuleError):
            parse_field_labels(bad)
