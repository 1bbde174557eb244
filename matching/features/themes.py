"""Fuzzy theme matching of one request against many offers (ThemeMatcher)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matching.features.word_index import _CACHE_SIZE, _column_max, _incidence, _WordIndex
from matching.features.words import _WORD_RE, normalise_theme, stem, theme_similarity, tokens
from matching.text import DUTCH_STOP_WORDS
from matching.weights import Weights


@dataclass(frozen=True, slots=True)
class ThemeResult:
    """Theme fit of one request against candidate offers, with what explains it.

    ``score`` holds the theme part per candidate; ``per_theme`` the best fit of
    each request theme per candidate (rows follow ``request_themes``);
    ``offer_theme_fit`` maps an offer theme (normalised) to how well it appears in
    the request's description. ``concept_fit`` is the part of ``per_theme`` that
    came from trade concepts; ``theme_concepts`` the concepts of each request theme;
    ``offer_theme_concepts`` maps an offer theme found in the description only
    through a concept to that concept.
    """

    score: np.ndarray
    request_themes: tuple[str, ...]
    per_theme: np.ndarray
    offer_theme_fit: dict[str, float]
    informative: bool
    concept_fit: np.ndarray | None = None
    theme_concepts: tuple[frozenset[str], ...] = ()
    offer_theme_concepts: dict[str, str] | None = None


class ThemeMatcher:
    """Fuzzy theme matching between one request and many offers.

    Built once over the offers: a vocabulary of normalised offer themes, a sparse
    offer × theme matrix, and a sparse offer × word matrix of the offers' texts.
    Per request theme it finds related vocabulary themes and words once
    (``rapidfuzz``, cached) and spreads their scores to offers through the
    matrices' columns, so no loop runs over offers.

    Parameters
    ----------
    offer_themes : sequence of sequence of str
        Each offer's themes as written.
    words : iterable of str
        The words of the offers' texts (lower case, no stop words, not stemmed);
        ``TextSimilarity.words_`` (an array) fits.
    doc_words : scipy.sparse matrix
        Offers × ``words``, non-zero where the offer's text (description and
        themes) has the word; ``TextSimilarity.doc_words_`` fits.
    weights : Weights
        ``theme_cutoff``, ``theme_in_description``, ``theme_all_weight``,
        ``concept_theme_score`` and ``concept_conflict_factor`` are used.
    find_concepts : callable, optional
        Text to the trade concepts it names (``TradeVocabulary.find``). With it,
        a request theme meets every offer that names the same concept in any
        language, and a fuzzy fit between themes that name only different
        concepts is weakened.
    offer_texts : sequence of str, optional
        Each offer's description, where concepts count like a theme in the text.
    """

    def __init__(
        self,
        offer_themes: Sequence[Sequence[str]],
        words: Iterable[str],
        doc_words: sp.spmatrix,
        weights: Weights,
        *,
        find_concepts: Callable[[str], frozenset[str]] | None = None,
        offer_texts: Sequence[str] | None = None,
    ) -> None:
        self.weights = weights
        n = len(offer_themes)
        self.n_offers = n
        self.find_concepts = find_concepts
        vocab: dict[str, int] = {}
        rows, cols = [], []
        for i, themes in enumerate(offer_themes):
            for theme in themes:
                norm = normalise_theme(theme)
                if norm:
                    rows.append(i)
                    cols.append(vocab.setdefault(norm, len(vocab)))
        # Sorted vocabulary: the same offers in any order give the same structures.
        names = sorted(vocab)
        remap = np.empty(len(vocab), dtype=np.int64)
        for new, name in enumerate(names):
            remap[vocab[name]] = new
        self.theme_vocab = names
        self.offer_theme = _incidence(rows, remap[np.asarray(cols, dtype=np.int64)], n, len(names))
        self._theme_index = _WordIndex(names)

        # Words of the vocabulary themes, for finding offer themes in a request's text.
        theme_words = sorted({w for name in names for w in name.split()})
        self._theme_word_index = _WordIndex(theme_words)
        word_pos = {w: i for i, w in enumerate(theme_words)}
        trow = [i for i, name in enumerate(names) for _ in name.split()]
        tcol = [word_pos[w] for name in names for w in name.split()]
        lengths = np.array([len(name.split()) for name in names], dtype=np.float64)
        tvals = (1.0 / lengths)[trow] if names else np.zeros(0)
        # Row-normalised: theme × word-score gives each theme's mean word coverage.
        self._theme_word = sp.csr_matrix(
            (tvals, (trow, tcol)), shape=(len(names), len(theme_words))
        )
        self._word_themes = self._theme_word.tocsc()

        # Stem the (distinct) words once and fold the offer × word matrix onto stems.
        stems = [stem(w) for w in words]
        stem_names = sorted(set(stems))
        stem_pos = {t: i for i, t in enumerate(stem_names)}
        fold = sp.csr_matrix(
            (
                np.ones(len(stems), dtype=np.float32),
                (np.arange(len(stems)), [stem_pos[t] for t in stems]),
            ),
            shape=(len(stems), len(stem_names)),
        )
        self.offer_word = (sp.csr_matrix(doc_words, dtype=np.float32) @ fold).tocsc()
        self._word_index = _WordIndex(stem_names)
        self._cache: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        if find_concepts is not None:
            self._build_concepts(offer_themes, offer_texts or [""] * n, find_concepts)

    def _build_concepts(
        self,
        offer_themes: Sequence[Sequence[str]],
        offer_texts: Sequence[str],
        find: Callable[[str], frozenset[str]],
    ) -> None:
        """Offers × concepts named in their themes, and in their themes or description."""
        pos: dict[str, int] = {}
        theme_rows: list[int] = []
        theme_cols: list[int] = []
        text_rows: list[int] = []
        text_cols: list[int] = []
        vocab_concepts: dict[str, set[str]] = {}
        for i, (themes, text) in enumerate(zip(offer_themes, offer_texts, strict=True)):
            in_themes: set[str] = set()
            for theme in themes:
                found = find(theme)
                in_themes |= found
                norm = normalise_theme(theme)
                if norm and found:
                    vocab_concepts.setdefault(norm, set()).update(found)
            for concept in sorted(in_themes):
                theme_rows.append(i)
                theme_cols.append(pos.setdefault(concept, len(pos)))
            for concept in sorted(in_themes | find(text)):
                text_rows.append(i)
                text_cols.append(pos.setdefault(concept, len(pos)))
        n = self.n_offers
        self._concept_pos = pos
        self.offer_concept_theme = _incidence(theme_rows, np.asarray(theme_cols), n, len(pos))
        self.offer_concept_text = _incidence(text_rows, np.asarray(text_cols), n, len(pos))
        self._names_any = np.diff(self.offer_concept_theme.tocsr().indptr) > 0
        # Per concept, the vocabulary themes (positions, ascending) that name it.
        self._concept_themes: dict[str, list[int]] = {}
        for p, name in enumerate(self.theme_vocab):
            for concept in sorted(vocab_concepts.get(name, ())):
                self._concept_themes.setdefault(concept, []).append(p)

    def _offers_naming(self, concepts: Iterable[str], matrix: sp.csc_matrix) -> np.ndarray:
        """Per offer, whether ``matrix`` holds any of ``concepts`` for it."""
        cols = [self._concept_pos[c] for c in sorted(concepts) if c in self._concept_pos]
        hit = np.zeros(self.n_offers, dtype=bool)
        for c in cols:
            hit[matrix.indices[matrix.indptr[c] : matrix.indptr[c + 1]]] = True
        return hit

    def _concept_theme_fit(self, concepts: frozenset[str]) -> tuple[np.ndarray, np.ndarray]:
        """Concept fit of one request theme per offer, and where the offer names only others."""
        w = self.weights
        in_themes = self._offers_naming(concepts, self.offer_concept_theme)
        in_text = self._offers_naming(concepts, self.offer_concept_text)
        fit = np.where(
            in_themes, w.concept_theme_score, np.where(in_text, w.theme_in_description, 0.0)
        )
        # Offers whose themes name concepts, none of them this theme's: a fuzzy fit
        # there rests on a shared generic word ("techniek", "installatie").
        return fit, self._names_any & ~in_text

    @classmethod
    def from_texts(
        cls, offer_themes: Sequence[Sequence[str]], offer_texts: Sequence[str], weights: Weights
    ) -> ThemeMatcher:
        """Build from raw offer texts (analysed here) instead of a fitted word matrix."""
        vocab: dict[str, int] = {}
        rows, cols = [], []
        for i, text in enumerate(offer_texts):
            for w in set(_WORD_RE.findall(text.lower())) - DUTCH_STOP_WORDS:
                rows.append(i)
                cols.append(vocab.setdefault(w, len(vocab)))
        matrix = _incidence(rows, np.asarray(cols, dtype=np.int64), len(offer_texts), len(vocab))
        return cls(offer_themes, list(vocab), matrix, weights)

    # -- per request theme -----------------------------------------------------------------

    def _theme_fit(self, theme: str) -> tuple[np.ndarray, np.ndarray]:
        """Offers (positions) that fit one normalised request theme, and how well."""
        hit = self._cache.get(theme)
        if hit is not None:
            self._cache.move_to_end(theme)
            return hit
        w = self.weights
        n = self.n_offers
        # 1. Offer themes: score every vocabulary theme that shares a related word.
        candidates: set[int] = set()
        for word in theme.split():
            pos, _ = self._theme_word_index.matches(word)
            for p in pos:
                start, end = self._word_themes.indptr[p], self._word_themes.indptr[p + 1]
                candidates.update(self._word_themes.indices[start:end].tolist())
        whole_pos, _ = self._theme_index.matches(theme)
        candidates.update(int(p) for p in whole_pos)
        cols, vals = [], []
        for c in sorted(candidates):
            s = theme_similarity(theme, self.theme_vocab[c])
            if s >= w.theme_cutoff:
                cols.append(c)
                vals.append(s)
        best = _column_max(self.offer_theme, np.asarray(cols, dtype=np.int64), np.asarray(vals), n)

        # 2. Offer texts: mean over the theme's words of the best related word present.
        theme_words = theme.split()
        coverage = np.zeros(n, dtype=np.float64)
        for word in theme_words:
            pos, sims = self._word_index.matches(word, compound="longer")
            coverage += _column_max(self.offer_word, pos, sims, n)
        coverage /= max(1, len(theme_words))
        in_text = np.where(coverage >= w.theme_cutoff, w.theme_in_description * coverage, 0.0)

        fit = np.maximum(best, in_text)
        nz = np.flatnonzero(fit)
        result = (nz, fit[nz])
        self._cache[theme] = result
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return result

    def _themes_in_text(self, text: str) -> np.ndarray:
        """Per vocabulary theme, the credit for appearing in ``text`` (0 when it does not)."""
        words = set(tokens(text))
        if not words or not self.theme_vocab:
            return np.zeros(len(self.theme_vocab))
        best = np.zeros(self._theme_word.shape[1])
        for word in words:
            # Theme words the text word contains: the text word is the longer one.
            pos, sims = self._theme_word_index.matches(word, compound="shorter")
            if len(pos):
                best[pos] = np.maximum(best[pos], sims)
        coverage = self._theme_word @ best
        w = self.weights
        return np.where(coverage >= w.theme_cutoff, w.theme_in_description * coverage, 0.0)

    # -- per request -------------------------------------------------------------------------

    def score(
        self, request_themes: Sequence[str], request_text: str, candidates: np.ndarray
    ) -> ThemeResult:
        """Return the theme part for ``candidates`` (positions of offers).

        Parameters
        ----------
        request_themes : sequence of str
            The request's themes as written.
        request_text : str
            The request's description (offer themes found there count too).
        candidates : ndarray of int
            Positions of the offers to score.

        Returns
        -------
        ThemeResult
            ``score`` in [0, 1] per candidate; ``informative`` is False when the
            request gives neither themes nor a description (the part is then neutral).
        """
        w = self.weights
        labels: list[str] = []
        norms: list[str] = []
        for theme in request_themes:
            norm = normalise_theme(theme)
            if norm and norm not in norms:
                norms.append(norm)
                labels.append(theme)
        m = len(candidates)
        per_theme = np.zeros((len(norms), m))
        concept_fit = np.zeros((len(norms), m)) if self.find_concepts is not None else None
        theme_concepts: list[frozenset[str]] = []
        dense = np.zeros(self.n_offers)
        for j, norm in enumerate(norms):
            pos, vals = self._theme_fit(norm)
            dense[pos] = vals
            per_theme[j] = dense[candidates]
            dense[pos] = 0.0
            if self.find_concepts is not None and concept_fit is not None:
                concepts = self.find_concepts(labels[j])
                theme_concepts.append(concepts)
                if concepts:
                    fit, other = self._concept_theme_fit(concepts)
                    fuzzy = np.where(other[candidates], w.concept_conflict_factor, 1.0)
                    fuzzy = per_theme[j] * fuzzy
                    concept_fit[j] = fit[candidates]
                    per_theme[j] = np.maximum(fuzzy, concept_fit[j])
        if norms:
            request_side = (1.0 - w.theme_all_weight) * per_theme.max(axis=0)
            request_side += w.theme_all_weight * per_theme.mean(axis=0)
        else:
            request_side = np.zeros(m)

        offer_theme_fit: dict[str, float] = {}
        offer_theme_concepts: dict[str, str] | None = None
        offer_side = np.zeros(m)
        if request_text.strip() and self.theme_vocab:
            in_text = self._themes_in_text(request_text)
            if self.find_concepts is not None:
                in_text, offer_theme_concepts = self._concepts_in_text(request_text, in_text)
            present = np.flatnonzero(in_text)
            if len(present):
                offer_side = _column_max(
                    self.offer_theme, present, in_text[present], self.n_offers
                )[candidates]
                offer_theme_fit = {self.theme_vocab[p]: float(in_text[p]) for p in present}
        informative = bool(norms) or bool(request_text.strip())
        score = np.clip(np.maximum(request_side, offer_side), 0.0, 1.0)
        return ThemeResult(
            score,
            tuple(labels),
            per_theme,
            offer_theme_fit,
            informative,
            concept_fit,
            tuple(theme_concepts),
            offer_theme_concepts,
        )

    def _concepts_in_text(
        self, text: str, in_text: np.ndarray
    ) -> tuple[np.ndarray, dict[str, str]]:
        """Add credit for vocabulary themes that name a concept the text names."""
        named = self.find_concepts(text) if self.find_concepts is not None else frozenset()
        found: dict[str, str] = {}
        if not named:
            return in_text, found
        in_text = in_text.copy()
        credit = self.weights.theme_in_description
        for concept in sorted(named):
            for p in self._concept_themes.get(concept, ()):
                name = self.theme_vocab[p]
                if in_text[p] < credit and name not in found:
                    in_text[p] = credit
                    found[name] = concept
        return in_text, found
