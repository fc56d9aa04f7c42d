"""Themes that set detractors' reasons apart from promoters'.

Terms are scored with the weighted log-odds ratio under an informative Dirichlet prior
(Monroe, Colaresi & Quinn, 2008). For a term ``w`` with counts ``y1``/``y2`` on the two
sides, side totals ``n1``/``n2``, prior ``a`` for the term and ``a0`` for all terms::

    delta = ln((y1 + a)/(n1 + a0 - y1 - a)) - ln((y2 + a)/(n2 + a0 - y2 - a))
    z     = delta / sqrt(1/(y1 + a) + 1/(y2 + a))

The prior is the pooled count of both sides times ``prior_scale``, so a term's evidence
is weighed against how common it is overall. A term counts once per text (how many
people said it, not how often one person repeated it). Positive ``z`` leans to
detractors, negative to promoters.

Each text is split into terms by the rules of its own script (:func:`is_japanese`),
never by a label of the person who wrote it: an answer carries no language.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from janome.tokenizer import Token, Tokenizer

from bot.stats.disclosure import DEFAULT_COMMENT_THRESHOLD, DEFAULT_K

Z_95 = 1.959964

_ENGLISH_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")

# The Unicode blocks of Japanese writing: hiragana, katakana (with its phonetic,
# halfwidth and supplementary blocks) and the CJK ideographs (kanji), compatibility
# ideographs included.
_JAPANESE_SCRIPT = re.compile(
    "["
    "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff65-\uff9f"
    "\U0001aff0-\U0001afff\U0001b000-\U0001b16f"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
    "]"
)

_ENGLISH_NEGATIONS = frozenset({"not", "no", "never", "cannot"})

# fmt: off
_ENGLISH_STOP_WORDS = frozenset({
    "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are",
    "as", "at", "be", "been", "before", "being", "below", "between", "both", "but", "by",
    "can", "could", "did", "do", "does", "doing", "down", "during", "each", "either", "else",
    "even", "ever", "every", "few", "for", "from", "further", "get", "got", "had", "has",
    "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in",
    "into", "is", "it", "its", "itself", "just", "let", "me", "more", "most", "much", "must",
    "my", "myself", "nor", "of", "off", "on", "once", "only", "or", "other", "our", "ours",
    "out", "over", "own", "really", "same", "she", "should", "so", "some", "such", "than",
    "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this",
    "those", "through", "to", "too", "under", "until", "up", "us", "very", "was", "we",
    "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
    "would", "yet", "you", "your", "yours", "yourself",
    "i'm", "i've", "i'd", "i'll", "it's", "that's", "there's", "they're", "we're", "you're",
})
# fmt: on

# Janome tags: keep content words only; the sub-tags listed carry no topic of their own.
_JAPANESE_KEPT = {
    "名詞": frozenset({"非自立", "代名詞", "数", "接尾"}),
    "動詞": frozenset({"非自立", "接尾"}),
    "形容詞": frozenset({"非自立", "接尾"}),
}

# fmt: off
_JAPANESE_STOP_WORDS = frozenset({
    "する", "なる", "ある", "いる", "できる", "れる", "られる", "せる", "させる",
    "いう", "言う", "思う", "くる", "来る", "行く", "いく", "みる", "見る", "もらう",
    "くれる", "おる", "ない", "こと", "もの", "よう", "ため", "とき", "ところ", "感じ",
    "方", "さん", "様", "的", "化", "等", "他", "以外", "以上", "以下", "今回", "今後",
})
# fmt: on

Tokenize = Callable[[str], tuple[str, ...]]
"""Turns one text into its terms (repeats allowed)."""


def english_terms(text: str) -> tuple[str, ...]:
    """Lower-cased words without stop words, plus bigrams of adjacent kept words.

    A negation ("not", "never", any "...n't", normalised to "not") is not a term by itself
    but opens a bigram with the next kept word, so "isn't fast" yields "fast" and
    "not fast". A stop word breaks a bigram.
    """
    terms: list[str] = []
    previous: str | None = None
    for word in _ENGLISH_WORD.findall(text.replace("’", "'").casefold()):
        if word.endswith("n't"):
            previous = "not"
        elif word in _ENGLISH_NEGATIONS:
            previous = word
        elif word in _ENGLISH_STOP_WORDS or len(word) < 2:
            previous = None
        else:
            terms.append(word)
            if previous is not None:
                terms.append(f"{previous} {word}")
            previous = word
    return tuple(terms)


class JapaneseTerms:
    """Base forms of Japanese nouns, verbs and adjectives, stop words removed.

    Holds one Janome morphological analyzer (loading its dictionary takes a moment), so
    build one instance and reuse it.
    """

    def __init__(self) -> None:
        self._tokenizer = Tokenizer()

    def __call__(self, text: str) -> tuple[str, ...]:
        terms: list[str] = []
        for token in self._tokenizer.tokenize(text):
            if not isinstance(token, Token):  # plain strings only come in "wakati" mode
                continue
            tags = str(token.part_of_speech).split(",")
            excluded = _JAPANESE_KEPT.get(tags[0])
            if excluded is None or tags[1] in excluded:
                continue
            base = str(token.base_form)
            if base == "*":
                base = str(token.surface)
            if base not in _JAPANESE_STOP_WORDS and not base.isascii():
                terms.append(base)
        return tuple(terms)


def is_japanese(text: str) -> bool:
    """Whether ``text`` holds any hiragana, katakana or CJK ideograph.

    One such character is enough: Japanese reasons often name a product in Latin letters
    ("Zoomが遅い"), and the English rules would read a run of kana as one long word. The
    price is an English text with a stray kanji, whose English words are then not terms.
    """
    return _JAPANESE_SCRIPT.search(text) is not None


@dataclass(frozen=True)
class Tokenizers:
    """Picks the tokenizer for a text by its script: Japanese when :func:`is_japanese`,
    else English."""

    japanese: Tokenize
    english: Tokenize = english_terms

    def terms(self, text: str) -> tuple[str, ...]:
        return self.japanese(text) if is_japanese(text) else self.english(text)


def default_tokenizers() -> Tokenizers:
    """English rules plus a freshly loaded Japanese analyzer."""
    return Tokenizers(japanese=JapaneseTerms())


class Side(StrEnum):
    DETRACTORS = "detractors"
    PROMOTERS = "promoters"


@dataclass(frozen=True)
class Comment:
    """One reason as written, and nothing about who wrote it."""

    text: str


@dataclass(frozen=True)
class Theme:
    """A distinguishing term: its z-score and how many texts on each side contain it."""

    term: str
    z: float
    detractor_texts: int
    promoter_texts: int
    leans: Side


def log_odds_z(
    first: Mapping[str, int], second: Mapping[str, int], *, prior_scale: float = 1.0
) -> dict[str, float]:
    """z-score of every term in ``first`` or ``second``; positive leans to ``first``.

    The prior of a term is ``prior_scale`` times its pooled count. With fewer than two
    distinct terms there is nothing to compare a term against, and the result is empty.
    Raise ``ValueError`` unless ``prior_scale`` is positive.
    """
    if prior_scale <= 0:
        raise ValueError(f"prior_scale must be positive, got {prior_scale!r}")
    vocabulary = {w for w in set(first) | set(second) if first.get(w, 0) + second.get(w, 0)}
    if len(vocabulary) < 2:
        return {}
    prior = {w: prior_scale * (first.get(w, 0) + second.get(w, 0)) for w in vocabulary}
    prior_total = sum(prior.values())
    n_first, n_second = sum(first.values()), sum(second.values())
    scores: dict[str, float] = {}
    for word, alpha in prior.items():
        y_first = first.get(word, 0) + alpha
        y_second = second.get(word, 0) + alpha
        delta = math.log(y_first / (n_first + prior_total - y_first)) - math.log(
            y_second / (n_second + prior_total - y_second)
        )
        scores[word] = delta / math.sqrt(1.0 / y_first + 1.0 / y_second)
    return scores


def distinguishing_themes(
    detractors: Sequence[Comment],
    promoters: Sequence[Comment],
    *,
    tokenizers: Tokenizers,
    min_texts: int = DEFAULT_COMMENT_THRESHOLD,
    min_term_texts: int = DEFAULT_K,
    min_abs_z: float = Z_95,
    prior_scale: float = 1.0,
    limit: int | None = 10,
) -> tuple[Theme, ...]:
    """Terms that distinguish detractors' reasons from promoters', strongest first.

    Blank texts are ignored. Nothing is returned when either side has fewer than
    ``min_texts`` texts. A term is kept when at least ``min_term_texts`` texts across both
    sides contain it and ``|z| >= min_abs_z`` (and ``z != 0``); ties in ``|z|`` sort by
    term. At most ``limit`` themes are returned (all of them for ``None``).
    """
    detractor_docs = _document_counts(detractors, tokenizers=tokenizers)
    promoter_docs = _document_counts(promoters, tokenizers=tokenizers)
    texts_d, counts_d = detractor_docs
    texts_p, counts_p = promoter_docs
    if min(texts_d, texts_p) < min_texts:
        return ()
    themes = [
        Theme(
            term=term,
            z=z,
            detractor_texts=counts_d[term],
            promoter_texts=counts_p[term],
            leans=Side.DETRACTORS if z > 0 else Side.PROMOTERS,
        )
        for term, z in log_odds_z(counts_d, counts_p, prior_scale=prior_scale).items()
        if z != 0 and abs(z) >= min_abs_z and counts_d[term] + counts_p[term] >= min_term_texts
    ]
    themes.sort(key=lambda theme: (-abs(theme.z), theme.term))
    return tuple(themes if limit is None else themes[:limit])


def _document_counts(
    comments: Iterable[Comment], *, tokenizers: Tokenizers
) -> tuple[int, Counter[str]]:
    """Number of non-blank texts and, per term, how many of them contain it."""
    texts = 0
    counts: Counter[str] = Counter()
    for comment in comments:
        if not comment.text.strip():
            continue
        texts += 1
        counts.update(set(tokenizers.terms(comment.text)))
    return texts, counts
