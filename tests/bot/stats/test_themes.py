import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.stats.terms import JapaneseTerms, Tokenizers, default_tokenizers, english_terms
from bot.stats.themes import (
    Comment,
    Side,
    distinguishing_themes,
    log_odds_z,
)


@pytest.fixture(scope="module")
def tokenizers() -> Tokenizers:
    return default_tokenizers()


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("The support is SLOW.", ("support", "slow")),
        ("Customer support was great", ("customer", "support", "customer support", "great")),
        ("It isn't fast", ("not fast",)),
        ("never again, not worth it", ("not worth",)),
        ("The app’s sync doesn't work", ("app's", "sync", "app's sync", "not work")),
        ("I cannot focus, no quiet room", ("not focus", "no quiet", "room")),
        ("42 bugs in 3 days", ("bugs", "days")),
        ("", ()),
    ],
)
def test_english_terms(text: str, terms: tuple[str, ...]) -> None:
    assert english_terms(text) == terms


def test_japanese_terms_keep_base_forms_of_content_words() -> None:
    terms = JapaneseTerms()("サポートの対応が遅くて、料金も高いです。")
    assert terms == ("サポート", "対応", "遅い", "料金", "高い")


def test_the_tokenizer_follows_the_script_of_the_text(tokenizers: Tokenizers) -> None:
    assert tokenizers.terms("料金が高い") == ("料金", "高い")
    assert tokenizers.terms("Zoomが遅い") == ("遅い",)  # Latin words in Japanese are no terms
    assert tokenizers.terms("Price is high") == ("price", "high")
    # the English rules would read the kana and kanji as one word
    assert english_terms("料金が高い") == ("料金が高い",)


def test_hand_computed_z() -> None:
    # first: slow 2, price 1 (n1 = 3); second: slow 1 (n2 = 1); prior = pooled: slow 3,
    # price 1, a0 = 4.
    # slow:  ln(5/(3+4-5)) - ln(4/(1+4-4)) = ln 2.5 - ln 4 = -0.470004; var 1/5 + 1/4
    #        z = -0.470004/sqrt(0.45) = -0.700640
    # price: ln(2/(7-2)) - ln(1/(5-1)) = ln 0.4 - ln 0.25 = 0.470004; var 1/2 + 1/1
    #        z = 0.470004/sqrt(1.5) = 0.383756
    scores = log_odds_z({"slow": 2, "price": 1}, {"slow": 1})
    assert scores["slow"] == pytest.approx(math.log(0.625) / math.sqrt(0.45), abs=1e-9)
    assert scores["price"] == pytest.approx(math.log(1.6) / math.sqrt(1.5), abs=1e-9)
    assert scores["slow"] == pytest.approx(-0.700640, abs=1e-6)
    assert scores["price"] == pytest.approx(0.383756, abs=1e-6)


def test_a_single_term_has_nothing_to_be_compared_with() -> None:
    assert log_odds_z({"slow": 3}, {"slow": 1}) == {}


def test_prior_scale_must_be_positive() -> None:
    with pytest.raises(ValueError):
        log_odds_z({"a": 1}, {"a": 1}, prior_scale=0.0)


word_counts = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e"]), st.integers(min_value=1, max_value=50), min_size=1
)


@given(word_counts, word_counts)
def test_swapping_sides_negates_z(first: dict[str, int], second: dict[str, int]) -> None:
    forward, backward = log_odds_z(first, second), log_odds_z(second, first)
    assert forward.keys() == backward.keys()
    for word, z in forward.items():
        assert backward[word] == pytest.approx(-z, abs=1e-9)


@given(word_counts)
def test_identical_sides_have_nothing_to_tell_apart(counts: dict[str, int]) -> None:
    assert all(z == pytest.approx(0.0, abs=1e-12) for z in log_odds_z(counts, counts).values())


ENGLISH_DETRACTORS = [
    "Support is slow and never answers",
    "slow support, waited a week",
    "The price is too high",
    "Support was slow to reply",
    "too expensive, price went up",
    "slow support again",
    "Billing errors every month",
    "Price is high and support slow",
    "Onboarding was confusing",
    "Support takes days, so slow",
    "Slow support tickets",
    "Nobody in support replies, slow",
]
ENGLISH_PROMOTERS = [
    "Easy to use and the team is friendly",
    "So easy to use",
    "The team is great",
    "Friendly team, easy setup",
    "easy to use dashboard",
    "great product, easy",
    "Reports are easy to read",
    "I love the friendly team",
    "Easy and quick",
    "Setup was easy",
    "Great team, easy tool",
    "Everything is easy",
]


def _english(texts: list[str]) -> list[Comment]:
    return [Comment(text) for text in texts]


def test_english_corpus_separates_the_obvious_themes(tokenizers: Tokenizers) -> None:
    themes = distinguishing_themes(
        _english(ENGLISH_DETRACTORS), _english(ENGLISH_PROMOTERS), tokenizers=tokenizers,
        false_discovery=0.2, limit=None,
    )  # fmt: skip
    leaning = {theme.term: theme.leans for theme in themes}
    assert leaning["slow"] is Side.DETRACTORS
    assert leaning["support"] is Side.DETRACTORS
    assert leaning["easy"] is Side.PROMOTERS
    assert leaning["team"] is Side.PROMOTERS
    slow = next(theme for theme in themes if theme.term == "slow")
    assert (slow.detractor_texts, slow.promoter_texts) == (8, 0)
    # "price" is in 3 texts, under the default 5 texts a term needs
    assert "price" not in leaning


def test_default_threshold_finds_strong_contrasts_in_few_texts(tokenizers: Tokenizers) -> None:
    # "easy" (0 vs 10 texts) and "slow" (8 vs 0) pass Fisher's test under the 5 % false
    # discovery rate; "slow" stayed out under the old |z| >= 1.96 of the log-odds.
    themes = distinguishing_themes(
        _english(ENGLISH_DETRACTORS), _english(ENGLISH_PROMOTERS), tokenizers=tokenizers
    )
    leaning = {theme.term: theme.leans for theme in themes}
    assert leaning["easy"] is Side.PROMOTERS and leaning["slow"] is Side.DETRACTORS
    assert [t.p_value for t in themes] == sorted(t.p_value for t in themes)


def test_guard_needs_enough_texts_on_both_sides(tokenizers: Tokenizers) -> None:
    detractors = _english(ENGLISH_DETRACTORS)
    promoters = _english(ENGLISH_PROMOTERS)
    assert distinguishing_themes(detractors, promoters, tokenizers=tokenizers, false_discovery=0.2)
    assert not distinguishing_themes(
        detractors, promoters[:7], tokenizers=tokenizers, false_discovery=0.2
    )
    blank_padded = [*promoters[:7], Comment("   ")]
    assert not distinguishing_themes(
        detractors, blank_padded, tokenizers=tokenizers, false_discovery=0.2
    )


def test_limit_keeps_the_strongest(tokenizers: Tokenizers) -> None:
    everything = distinguishing_themes(
        _english(ENGLISH_DETRACTORS), _english(ENGLISH_PROMOTERS), tokenizers=tokenizers,
        false_discovery=1.0, min_term_texts=1, limit=None,
    )  # fmt: skip
    top = distinguishing_themes(
        _english(ENGLISH_DETRACTORS), _english(ENGLISH_PROMOTERS), tokenizers=tokenizers,
        false_discovery=1.0, min_term_texts=1, limit=3,
    )  # fmt: skip
    assert len(everything) > 3
    assert top == everything[:3]


def test_japanese_corpus_separates_the_obvious_themes(tokenizers: Tokenizers) -> None:
    detractors = [
        "サポートの返事が遅い",
        "料金が高い",
        "サポートが遅くて困る",
        "サポートに連絡しても遅い",
        "料金が高すぎる",
        "サポートの対応が遅い",
        "請求書の間違いが多い",
        "サポートが遅い",
    ]
    promoters = [
        "画面が使いやすい",
        "チームが親切で使いやすい",
        "とても使いやすいアプリ",
        "親切なチーム",
        "使いやすい画面が好き",
        "チームの皆さんが親切",
        "レポートが見やすい",
        "使いやすいし親切",
    ]
    themes = distinguishing_themes(
        [Comment(t) for t in detractors], [Comment(t) for t in promoters],
        tokenizers=tokenizers, false_discovery=0.2, min_term_texts=4, limit=None,
    )  # fmt: skip
    leaning = {theme.term: theme.leans for theme in themes}
    assert leaning["サポート"] is Side.DETRACTORS
    assert leaning["遅い"] is Side.DETRACTORS
    assert leaning["使う"] is Side.PROMOTERS
    assert leaning["親切"] is Side.PROMOTERS
