"""Reasons split into terms: English rules and a Japanese morphological analyzer.

A term is what a theme can be about, so it must mean what the writer meant:

* a negation stays on its word and the bare word is not counted ("isn't fast" is the
  term "not fast", never "fast"; 休みが取れない is 取れない, never 取れる; 休みが取れません
  and 取れず fold into the same 取れない);
* a Japanese compound noun stays whole (リモートワーク, never リモート and ワーク); an
  English pair of adjacent words is a term beside its words, and
  :func:`bot.stats.themes.distinguishing_themes` folds a word into its pair when the
  pair explains it.

Each text is split by the rules of its own script (:func:`is_japanese`), never by a
label of the person who wrote it: an answer carries no language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from janome.tokenizer import Token, Tokenizer

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

_ENGLISH_NEGATIONS = frozenset({"not", "no", "never"})

_JAPANESE_NEGATIONS = frozenset({"ない", "ぬ", "ん"})

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

    A negation ("not", "no", "never", "cannot" and any "...n't", the last two read as
    "not") is not a term by itself: it joins the next kept word, and that word is then
    counted only negated, so "isn't fast" yields "not fast" alone. A negated word opens
    no bigram, and a stop word breaks one.
    """
    terms: list[str] = []
    previous: str | None = None
    negation: str | None = None
    for word in _ENGLISH_WORD.findall(text.replace("’", "'").casefold()):
        if word.endswith("n't") or word == "cannot":
            negation, previous = "not", None
        elif word in _ENGLISH_NEGATIONS:
            negation, previous = word, None
        elif word in _ENGLISH_STOP_WORDS or len(word) < 2:
            previous = None
        elif negation is not None:
            terms.append(f"{negation} {word}")
            negation, previous = None, None
        else:
            terms.append(word)
            if previous is not None:
                terms.append(f"{previous} {word}")
            previous = word
    return tuple(terms)


class JapaneseTerms:
    """Compound nouns and base forms of verbs and adjectives, stop words removed, each
    negation kept on its word (see the module docstring).

    Holds one Janome morphological analyzer (loading its dictionary takes a moment), so
    build one instance and reuse it.
    """

    def __init__(self) -> None:
        self._tokenizer: Tokenizer | None = None

    def __call__(self, text: str) -> tuple[str, ...]:
        # Janome and its dictionary weigh some 20 MB: they are loaded by the first
        # Japanese text analysed, so a process that reads none never holds them.
        from janome.tokenizer import Token, Tokenizer

        if self._tokenizer is None:
            self._tokenizer = Tokenizer()
        tokens = [t for t in self._tokenizer.tokenize(text) if isinstance(t, Token)]
        return japanese_terms([_Morpheme.of(token) for token in tokens])


@dataclass(frozen=True)
class _Morpheme:
    surface: str
    base: str
    tags: tuple[str, ...]
    conjugation: str

    @classmethod
    def of(cls, token: Token) -> _Morpheme:
        base = str(token.base_form)
        return cls(
            surface=str(token.surface),
            base=str(token.surface) if base == "*" else base,
            tags=tuple(str(token.part_of_speech).split(",")),
            conjugation=str(token.infl_type),
        )

    @property
    def kept(self) -> bool:
        excluded = _JAPANESE_KEPT.get(self.tags[0])
        return excluded is not None and self.tags[1] not in excluded

    @property
    def negates(self) -> bool:
        """An auxiliary ない, ぬ (ず) or ん (ません), or the adjective ない itself."""
        if self.tags[0] == "助動詞":
            return self.base in _JAPANESE_NEGATIONS
        return self.tags[0] == "形容詞" and self.base == "ない"


def japanese_terms(morphemes: Sequence[_Morpheme]) -> tuple[str, ...]:
    """Terms of one analysed text (see :class:`JapaneseTerms`)."""
    terms: list[str] = []
    index = 0
    while index < len(morphemes):
        here = morphemes[index]
        if here.tags[0] == "名詞" and here.kept:
            end = index + 1
            while end < len(morphemes) and _joins_compound(morphemes[end]):
                end += 1
            noun = "".join(m.surface for m in morphemes[index:end])
            if _noun_negated(morphemes, end):
                terms.append(f"{noun}がない")
            elif noun not in _JAPANESE_STOP_WORDS and not noun.isascii():
                terms.append(noun)
            index = end
            continue
        if here.kept and here.tags[0] in ("動詞", "形容詞") and not here.negates:
            negated = _negated(morphemes, index + 1)
            word = _negative(here) if negated else here.base
            if (negated or word not in _JAPANESE_STOP_WORDS) and not word.isascii():
                terms.append(word)
        index += 1
    return tuple(terms)


def _joins_compound(morpheme: _Morpheme) -> bool:
    return morpheme.tags[0] == "名詞" and (morpheme.kept or morpheme.tags[1] == "接尾")


def _negated(morphemes: Sequence[_Morpheme], start: int) -> bool:
    """Whether the verb or adjective before ``start`` is negated: ない, ず, ません, after
    any auxiliary (ます) or suffix verb (れる, られる) in between."""
    for morpheme in morphemes[start:]:
        if morpheme.negates:
            return True
        if not (morpheme.tags[0] == "助動詞" or morpheme.tags[1] in ("接尾", "非自立")):
            return False
    return False


def _noun_negated(morphemes: Sequence[_Morpheme], start: int) -> bool:
    """Whether a noun ending before ``start`` is denied: やる気がない, 休みはない."""
    if start < len(morphemes) and morphemes[start].surface in ("が", "は", "も"):
        start += 1
    return (
        start < len(morphemes)
        and morphemes[start].tags[0] == "形容詞"
        and (morphemes[start].base == "ない")
    )


_GODAN_A_ROW = dict(zip("うくぐすつぬぶむる", "わかがさたなばまら", strict=True))


def _negative(morpheme: _Morpheme) -> str:
    """The plain negative of a verb or adjective's base form: 取れる → 取れない,
    減る → 減らない, 多い → 多くない, する → しない."""
    base, kind = morpheme.base, morpheme.conjugation
    if morpheme.tags[0] == "形容詞":
        stem = "よ" if base in ("いい", "良い") else base[:-1]
        return f"{stem}くない"
    if kind.startswith("一段") and len(base) > 1:
        return f"{base[:-1]}ない"
    if kind.startswith("五段") and base[-1] in _GODAN_A_ROW:
        return f"{base[:-1]}{_GODAN_A_ROW[base[-1]]}ない"
    if kind.startswith("サ変") and base.endswith("する"):
        return f"{base[:-2]}しない"
    if kind.startswith("カ変"):
        return "来ない" if base == "来る" else "こない"
    return f"{base}ない"


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
