"""Templates and number formats used to put numbers into translated phrases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.charts.text import MINUS, CategoryNames, format_nps, require_template
from bot.domain.nps import Category, display_round


@given(st.floats(min_value=-100, max_value=100))
def test_format_nps_is_the_display_rounding_with_a_sign(value: float) -> None:
    text = format_nps(value)
    rounded = display_round(value)
    assert int(text.replace(MINUS, "-")) == rounded
    assert text.startswith("+") == (rounded > 0)
    assert text.startswith(MINUS) == (rounded < 0)


@pytest.mark.parametrize("template", ["n = {n}", "回答 {n}件", "{n:,} answers"])
def test_templates_with_exactly_the_fields_pass(template: str) -> None:
    require_template("count", template, {"n": 1234})


@pytest.mark.parametrize(
    "template",
    ["answers", "{n} of {total}", "{}", "{0}", "n = {n", "{n:%Y}", "{n!z}"],
)
def test_templates_that_drop_add_or_break_fields_are_refused(template: str) -> None:
    with pytest.raises(ValueError, match="count template"):
        require_template("count", template, {"n": 1234})


def test_category_names_map_each_category() -> None:
    names = CategoryNames("D", "P", "Pr")
    assert [names.of(which) for which in Category] == ["D", "P", "Pr"]
