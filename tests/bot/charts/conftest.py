from __future__ import annotations

import pytest

from tests.bot.charts.chart_samples import ENGLISH, JAPANESE, Language


@pytest.fixture(params=[ENGLISH, JAPANESE], ids=["en", "ja"])
def language(request: pytest.FixtureRequest) -> Language:
    """Run a test once with English labels and once with Japanese labels."""
    language: Language = request.param
    return language
