"""Themes find what is there and say what was meant: strong small contrasts found, random
texts rarely named, negations kept, compounds whole, duplicates folded. Simulations are
seeded; realistic corpora per language plant themes, negations and compounds."""

from __future__ import annotations

import numpy as np
import pytest

from bot.stats.terms import JapaneseTerms, Tokenizers, default_tokenizers, english_terms
from bot.stats.themes import Comment, Side, Theme, distinguishing_themes, fisher_exact

ENGLISH_ONLY = Tokenizers(japanese=english_terms)
VOCABULARY = [
    "pay",
    "desk",
    "laptop",
    "lunch",
    "meeting",
    "manager",
    "office",
    "parking",
    "badge",
    "wiki",
    "coffee",
    "chair",
    "printer",
    "calendar",
    "travel",
    "budget",
    "training",
    "roadmap",
    "release",
    "ticket",
    "email",
    "slack",
    "benefits",
    "holiday",
    "review",
    "schedule",
    "team",
    "project",
    "client",
    "process",
    "tooling",
]


@pytest.fixture(scope="module")
def tokenizers() -> Tokenizers:
    return default_tokenizers()


def themes_of(
    detractors: list[str], promoters: list[str], *, tokenizers: Tokenizers = ENGLISH_ONLY
) -> tuple[Theme, ...]:
    return distinguishing_themes(
        [Comment(t) for t in detractors],
        [Comment(t) for t in promoters],
        tokenizers=tokenizers,
        min_texts=8,
        min_term_texts=5,
        limit=None,
    )


def test_fisher_hand_computed() -> None:
    # 12 of 12 against 0 of 12: 2 / C(24, 12) = 2 / 2704156
    assert fisher_exact(12, 0, 0, 12) == pytest.approx(2 / 2_704_156)
    assert fisher_exact(3, 3, 3, 3) == pytest.approx(1.0)
    # [[1, 9], [11, 3]]: a textbook table, two-sided p = 0.002759
    assert fisher_exact(1, 9, 11, 3) == pytest.approx(0.002759, abs=1e-6)


def test_twelve_of_twelve_against_none_is_a_theme() -> None:
    detractors = [f"the {w} is awful, and overtime again" for w in VOCABULARY[:12]]
    promoters = [f"the {w} is fine" for w in VOCABULARY[:12]]
    themes = {t.term: t for t in themes_of(detractors, promoters)}
    assert themes["overtime"].leans is Side.DETRACTORS
    assert (themes["overtime"].detractor_texts, themes["overtime"].promoter_texts) == (12, 0)


def random_text(rng: np.random.Generator) -> str:
    return " ".join(rng.choice(VOCABULARY, size=int(rng.integers(2, 7)), replace=False))


def test_random_texts_rarely_yield_a_theme() -> None:
    rng = np.random.default_rng(7)
    runs, named = 300, 0
    for _ in range(runs):
        sizes = rng.integers(12, 40, size=2)
        detractors = [random_text(rng) for _ in range(int(sizes[0]))]
        promoters = [random_text(rng) for _ in range(int(sizes[1]))]
        named += bool(themes_of(detractors, promoters))
    assert named / runs <= 0.07


def test_a_planted_contrast_is_found_on_its_side() -> None:
    rng = np.random.default_rng(8)
    runs, found, wrong = 200, 0, 0
    for _ in range(runs):
        detractors = [
            random_text(rng) + (" understaffed" if rng.random() < 0.6 else "") for _ in range(24)
        ]
        promoters = [
            random_text(rng) + (" understaffed" if rng.random() < 0.05 else "") for _ in range(24)
        ]
        leaning = {t.term: t.leans for t in themes_of(detractors, promoters)}
        found += leaning.get("understaffed") is Side.DETRACTORS
        wrong += leaning.get("understaffed") is Side.PROMOTERS
    assert found / runs >= 0.8 and wrong == 0


ENGLISH_DETRACTORS = [
    "Remote work is not allowed anymore",
    "They took away remote work",
    "No remote work since the reorg",
    "I miss remote work, the commute is brutal",
    "Remote work was cancelled without notice",
    "Management doesn't listen to us",
    "My manager doesn't listen",
    "Leadership does not listen to feedback",
    "Nobody listens; remote work gone",
    "Pay isn't fair for the work",
    "Remote work ended and pay is not fair",
    "Too many meetings, not enough focus time",
    "Remote work would fix my burnout",
    "Senior staff don't listen to juniors",
    "HR does not listen at all",
    "Bring back remote work please",
    "The office is noisy and remote work is banned",
    "They never explain decisions",
    "Management doesn't listen and deadlines slip",
    "Salary is below market",
    "Remote work denied again",
    "Our director doesn't listen",
    "Tools are old and slow",
    "Promotion process is opaque",
]
ENGLISH_PROMOTERS = [
    "My manager listens and supports me",
    "Great colleagues who listen",
    "Flexible hours and a fair salary",
    "I learn a lot from my team",
    "The team listens to ideas",
    "Good benefits, fair pay",
    "Interesting projects every quarter",
    "Leadership listens to feedback",
    "Friendly people and good coffee",
    "Clear goals, a manager who listens",
    "Office is close to home",
    "Lots of training budget",
    "Great mentors and a kind team",
    "I can work from home on Fridays",
    "My manager listens every week",
    "The mission matters to me",
    "Good work-life balance",
    "People are helpful",
    "Modern tools and fast laptops",
    "Leadership is transparent",
    "Interesting customers",
    "Fair reviews and clear feedback",
    "I like my colleagues",
    "Plenty of growth",
]


def test_english_corpus_keeps_negations_and_compounds() -> None:
    themes = themes_of(ENGLISH_DETRACTORS, ENGLISH_PROMOTERS)
    leaning = {t.term: t.leans for t in themes}
    assert leaning["remote work"] is Side.DETRACTORS
    assert leaning["not listen"] is Side.DETRACTORS
    # the words of the compound are folded into it, the negated word is not a theme
    assert "remote" not in leaning and "work" not in leaning
    assert "listen" not in leaning or leaning["listen"] is Side.PROMOTERS
    assert len({t.term for t in themes}) == len(themes)


JAPANESE_DETRACTORS = [
    "休みが取れない",
    "残業が減らない",
    "忙しくて休みが取れません",
    "残業が全然減らない",
    "リモートワークが廃止された",
    "リモートワークができず通勤がつらい",
    "休みが取れず疲れている",
    "残業が減らないし評価も不透明",
    "リモートワークをやめてほしくなかった",
    "有給休暇が取れない雰囲気",
    "残業が減らず家族との時間がない",
    "リモートワークがなくなり不便",
    "休みが取れないのがつらい",
    "リモートワークを復活してほしい",
    "残業が減らないので辞めたい",
    "上司が話を聞かない",
    "給与が上がらない",
    "リモートワークが認められない",
    "休みが全然取れません",
    "残業が減らない部署",
    "会議が多すぎる",
    "リモートワークが突然終わった",
    "連休が取れない",
    "評価の基準が曖昧",
]
JAPANESE_PROMOTERS = [
    "休みが取りやすい",
    "残業が少なくて働きやすい",
    "チームの雰囲気が良い",
    "上司が相談に乗ってくれる",
    "研修制度が充実している",
    "柔軟な勤務時間が良い",
    "同僚が親切で働きやすい",
    "評価が公平だと思う",
    "福利厚生が充実している",
    "やりがいのある仕事",
    "オフィスが快適",
    "成長できる環境",
    "上司が話を聞いてくれる",
    "仕事が面白い",
    "チームワークが良い",
    "休みが取りやすく助かる",
    "給与に満足している",
    "通勤が楽",
    "新しい技術を学べる",
    "裁量が大きい",
    "同僚を尊敬している",
    "会社の方針に共感できる",
    "ワークライフバランスが良い",
    "社内の雰囲気が明るい",
]


def test_japanese_negations_stay_on_their_verbs(tokenizers: Tokenizers) -> None:
    terms = JapaneseTerms()
    assert terms("休みが取れない") == ("休み", "取れない")
    assert terms("休みが取れません") == ("休み", "取れない")
    assert terms("休みが取れず") == ("休み", "取れない")
    assert terms("残業が減らない") == ("残業", "減らない")
    assert terms("会議が多くない") == ("会議", "多くない")
    assert terms("やる気がない") == ("やる気がない",)
    assert terms("リモートワークが良い") == ("リモートワーク", "良い")
    detractors = ["休みが取れない", "残業が減らない"] * 15
    promoters = ["チームが良い", "仕事が楽しい"] * 15
    leaning = {t.term: t.leans for t in themes_of(detractors, promoters, tokenizers=tokenizers)}
    assert leaning["取れない"] is Side.DETRACTORS and leaning["減らない"] is Side.DETRACTORS
    assert "取れる" not in leaning and "減る" not in leaning


def test_japanese_corpus_keeps_negations_and_compounds(tokenizers: Tokenizers) -> None:
    themes = themes_of(JAPANESE_DETRACTORS, JAPANESE_PROMOTERS, tokenizers=tokenizers)
    leaning = {t.term: t.leans for t in themes}
    assert leaning["リモートワーク"] is Side.DETRACTORS
    assert leaning["取れない"] is Side.DETRACTORS
    assert leaning["減らない"] is Side.DETRACTORS
    assert not {"リモート", "ワーク", "取れる", "減る"} & set(leaning)
    assert len({t.term for t in themes}) == len(themes)
