"""Themes that set detractors' reasons apart from promoters'.

A term counts once per text (how many people said it, not how often one person repeated
it). Whether it sets the sides apart is tested on those text counts with Fisher's exact
test, and the terms kept are those the Benjamini–Hochberg procedure admits at a false
discovery rate ``q`` (5 % by default) over every term frequent enough to be a theme: a
strong contrast in few texts is found (12 of 12 against 0 of 12 has p = 7e-7), while on
random texts the chance of naming any theme stays about ``q`` or less.

Each theme also carries the weighted log-odds z-score under an informative Dirichlet
prior (Monroe, Colaresi & Quinn, 2008), a measure of size for readers of the JSON. For a
term ``w`` with counts ``y1``/``y2`` on the two sides, side totals ``n1``/``n2``, prior
``a`` for the term and ``a0`` for all terms::

    delta = ln((y1 + a)/(n1 + a0 - y1 - a)) - ln((y2 + a)/(n2 + a0 - y2 - a))
    z     = delta / sqrt(1/(y1 + a) + 1/(y2 + a))

The prior is the pooled count of both sides times ``prior_scale``. Positive ``z`` leans
to detractors, negative to promoters.

Duplicates are folded so they do not take several of the shown slots: a term found in
exactly the same texts as a longer kept term containing it, or whose texts outside that
longer term no longer set the sides apart, is left out ("remote" beside "remote work").
Terms come from :mod:`bot.stats.terms`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.stats.selection import DEFAULT_COMMENT_THRESHOLD, DEFAULT_K
from bot.stats.terms import Tokenizers

FALSE_DISCOVERY_RATE = 0.05


class Side(StrEnum):
    DETRACTORS = "detractors"
    PROMOTERS = "promoters"


@dataclass(frozen=True)
class Comment:
    """One reason as written, and nothing about who wrote it."""

    text: str


@dataclass(frozen=True)
class Theme:
    """A distinguishing term: its z-score, Fisher's exact p-value and how many texts on
    each side contain it."""

    term: str
    z: float
    detractor_texts: int
    promoter_texts: int
    leans: Side
    p_value: float = 1.0


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


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test for the table ``[[a, b], [c, d]]``:
    the probability, with the margins fixed, of a table no more likely than this one."""
    if min(a, b, c, d) < 0:
        raise ValueError("table counts cannot be negative")
    row, column, total = a + b, a + c, a + b + c + d
    low, high = max(0, column - (c + d)), min(row, column)

    def log_probability(x: int) -> float:
        return _log_comb(row, x) + _log_comb(total - row, column - x) - _log_comb(total, column)

    observed = log_probability(a)
    p = sum(
        math.exp(log_probability(x))
        for x in range(low, high + 1)
        if log_probability(x) <= observed + 1e-7
    )
    return min(1.0, p)


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def benjamini_hochberg(p_values: Mapping[str, float], *, q: float) -> set[str]:
    """The keys the Benjamini–Hochberg step-up procedure rejects at rate ``q``."""
    ranked = sorted(p_values.items(), key=lambda item: (item[1], item[0]))
    cut = 0
    for rank, (_, p) in enumerate(ranked, start=1):
        if p <= q * rank / len(ranked):
            cut = rank
    return {key for key, _ in ranked[:cut]}


def distinguishing_themes(
    detractors: Sequence[Comment],
    promoters: Sequence[Comment],
    *,
    tokenizers: Tokenizers,
    min_texts: int = DEFAULT_COMMENT_THRESHOLD,
    min_term_texts: int = DEFAULT_K,
    false_discovery: float = FALSE_DISCOVERY_RATE,
    prior_scale: float = 1.0,
    limit: int | None = 10,
) -> tuple[Theme, ...]:
    """Terms that distinguish detractors' reasons from promoters', strongest first.

    Blank texts are ignored. Nothing is returned when either side has fewer than
    ``min_texts`` texts. A term is tested when at least ``min_term_texts`` texts across
    both sides contain it; it is kept when Benjamini–Hochberg at ``false_discovery``
    admits its Fisher p-value, then duplicates are folded (see the module docstring).
    Themes sort by p-value, then ``|z|``, then term. At most ``limit`` are returned
    (all of them for ``None``).
    """
    texts_d = _texts_by_term(detractors, tokenizers=tokenizers)
    texts_p = _texts_by_term(promoters, tokenizers=tokenizers)
    total_d, total_p = _count(detractors), _count(promoters)
    if min(total_d, total_p) < min_texts:
        return ()
    counts_d = {term: len(texts) for term, texts in texts_d.items()}
    counts_p = {term: len(texts) for term, texts in texts_p.items()}
    candidates = {
        term: fisher_exact(
            counts_d.get(term, 0),
            total_d - counts_d.get(term, 0),
            counts_p.get(term, 0),
            total_p - counts_p.get(term, 0),
        )
        for term in set(counts_d) | set(counts_p)
        if counts_d.get(term, 0) + counts_p.get(term, 0) >= min_term_texts
    }
    kept = benjamini_hochberg(candidates, q=false_discovery)
    scores = log_odds_z(counts_d, counts_p, prior_scale=prior_scale)
    themes = [
        Theme(
            term=term,
            z=scores.get(term, 0.0),
            detractor_texts=counts_d.get(term, 0),
            promoter_texts=counts_p.get(term, 0),
            leans=Side.DETRACTORS
            if counts_d.get(term, 0) * total_p > counts_p.get(term, 0) * total_d
            else Side.PROMOTERS,
            p_value=candidates[term],
        )
        for term in kept
    ]
    themes.sort(key=lambda theme: (theme.p_value, -abs(theme.z), theme.term))
    folded = _fold(
        themes, texts_d=texts_d, texts_p=texts_p, totals=(total_d, total_p), alpha=false_discovery
    )
    return tuple(folded if limit is None else folded[:limit])


def _fold(
    themes: Sequence[Theme],
    *,
    texts_d: Mapping[str, frozenset[int]],
    texts_p: Mapping[str, frozenset[int]],
    totals: tuple[int, int],
    alpha: float,
) -> list[Theme]:
    """Leave out each theme that a longer kept theme containing it explains: same texts,
    or texts outside the longer one that no longer set the sides apart."""
    empty: frozenset[int] = frozenset()
    folded = []
    for theme in themes:
        explained = False
        for longer in themes:
            if longer.term == theme.term or not _contains(longer.term, theme.term):
                continue
            rest_d = texts_d.get(theme.term, empty) - texts_d.get(longer.term, empty)
            rest_p = texts_p.get(theme.term, empty) - texts_p.get(longer.term, empty)
            others_d = totals[0] - len(texts_d.get(longer.term, empty))
            others_p = totals[1] - len(texts_p.get(longer.term, empty))
            rest = fisher_exact(
                len(rest_d), others_d - len(rest_d), len(rest_p), others_p - len(rest_p)
            )
            if (not rest_d and not rest_p) or rest >= alpha:
                explained = True
                break
        if not explained:
            folded.append(theme)
    return folded


def _contains(longer: str, shorter: str) -> bool:
    """Whether ``shorter`` is part of ``longer``: one of its words (English) or a part of
    its characters (Japanese compounds and negations)."""
    if " " in longer or " " in shorter:
        return shorter in longer.split(" ")
    return len(shorter) < len(longer) and shorter in longer


def _texts_by_term(
    comments: Iterable[Comment], *, tokenizers: Tokenizers
) -> dict[str, frozenset[int]]:
    """Per term, the indexes of the non-blank texts containing it."""
    found: dict[str, set[int]] = {}
    index = 0
    for comment in comments:
        if not comment.text.strip():
            continue
        for term in set(tokenizers.terms(comment.text)):
            found.setdefault(term, set()).add(index)
        index += 1
    return {term: frozenset(texts) for term, texts in found.items()}


def _count(comments: Iterable[Comment]) -> int:
    return sum(1 for comment in comments if comment.text.strip())
