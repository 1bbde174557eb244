"""Per-dimension scorers of the matcher, each in [0, 1], vectorised over candidate offers."""

from __future__ import annotations

import bisect
import functools
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process

from matching.rules import KIND_BITS, TARGET_GROUP_BITS, WHERE_BITS
from matching.text import DUTCH_STOP_WORDS, WORD_PATTERN
from matching.weights import Weights

__all__ = [
    "AT_COMPANY_KINDS",
    "OTHER_AUDIENCE",
    "ThemeMatcher",
    "ThemeResult",
    "audience_hints",
    "audience_score",
    "capacity_score",
    "decay",
    "distance_score",
    "fairness_score",
    "far_factor",
    "kind_score",
    "normalise_theme",
    "popcount",
    "sector_score",
    "stem",
    "text_score",
    "theme_in_text",
    "theme_similarity",
    "timing_score",
    "token_similarity",
    "tokens",
]

#: Kinds that happen at the company by nature: the pupils or teachers travel.
AT_COMPANY_KINDS = (
    KIND_BITS["bedrijfsbezoek"] | KIND_BITS["stage_leerling"] | KIND_BITS["stage_docent"]
)

# Token similarity: a spelling variant must keep the first two letters (so "klassen"
# never meets "lassen") and score at least this rapidfuzz ratio.
_RATIO_CUTOFF = 80.0
# Compound parts: "installatie" meets "installatietechniek" when the shorter word is
# at least 5 letters and the longer adds at least 3 ("klassen" is not "k" + "lassen").
_COMPOUND_MIN, _COMPOUND_EXTRA, _COMPOUND_SCORE = 5, 3, 0.85
# The same words as the text vectoriser's (two or more word characters).
_WORD_RE = re.compile(WORD_PATTERN)
_CACHE_SIZE = 4096


# --- text normalisation -------------------------------------------------------------------


def stem(word: str) -> str:
    """Return a light Dutch stem: plural and inflection endings off longer words.

    Parameters
    ----------
    word : str
        A lower-case word.

    Returns
    -------
    str
        "warmtepompen" → "warmtepomp", "duurzame" → "duurzam", "robots" → "robot";
        words under 5 letters are returned as they are.
    """
    if len(word) >= 6 and word.endswith("en"):
        return word[:-2]
    if len(word) >= 5 and word.endswith(("e", "s")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Return the stemmed content words of ``text``.

    Parameters
    ----------
    text : str
        Free Dutch text.

    Returns
    -------
    list of str
        Words of two or more characters, lower case, without stop words, stemmed.
    """
    return [stem(w) for w in _WORD_RE.findall(text.lower()) if w not in DUTCH_STOP_WORDS]


@functools.lru_cache(maxsize=65536)
def normalise_theme(theme: str) -> str:
    """Return the comparable form of a free-text theme.

    Parameters
    ----------
    theme : str
        A theme as written, such as "3D-printen".

    Returns
    -------
    str
        Its stemmed words joined by spaces: "3D-printen" → "3d print",
        "Warmtepompen" → "warmtepomp".
    """
    return " ".join(tokens(theme))


def token_similarity(a: str, b: str, compound: str = "both") -> float:
    """Return the similarity of two stemmed words.

    Parameters
    ----------
    a, b : str
        Stemmed words (see ``tokens``).
    compound : {"both", "longer", "shorter"}, default "both"
        Which compound relation counts: ``"longer"`` only when ``b`` contains
        ``a`` ("installatie" is in a text that says "installatietechniek", but
        "techniek" alone does not show "techniekpromotie"); ``"shorter"`` only
        when ``a`` contains ``b``.

    Returns
    -------
    float
        1 for equal words, 0.85 for a compound part (at least 5 letters, with at
        least 3 more in the longer word), the rapidfuzz ratio / 100 for a spelling
        variant that keeps the first two letters and scores at least 0.8, else 0.
    """
    if a == b:
        return 1.0
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    allowed = (
        compound == "both"
        or (compound == "longer" and len(b) > len(a))
        or (compound == "shorter" and len(a) > len(b))
    )
    best = 0.0
    if allowed and (
        len(short) >= _COMPOUND_MIN
        and len(long_) - len(short) >= _COMPOUND_EXTRA
        and (long_.startswith(short) or long_.endswith(short))
    ):
        best = _COMPOUND_SCORE
    if len(short) >= 4 and a[:2] == b[:2]:
        ratio = fuzz.ratio(a, b, score_cutoff=_RATIO_CUTOFF)
        best = max(best, ratio / 100.0)
    return best


def _coverage(
    theme_tokens: Sequence[str], text_tokens: Sequence[str], compound: str = "both"
) -> float:
    """Mean over ``theme_tokens`` of their best similarity to any of ``text_tokens``."""
    if not theme_tokens or not text_tokens:
        return 0.0
    total = sum(max(token_similarity(t, w, compound) for w in text_tokens) for t in theme_tokens)
    return total / len(theme_tokens)


def theme_in_text(theme: str, text: str) -> float:
    """Return how well a theme's words appear in a text.

    Parameters
    ----------
    theme : str
        A normalised theme (see ``normalise_theme``).
    text : str
        Free text, such as the other side's description.

    Returns
    -------
    float
        In [0, 1]: the mean over the theme's words of the best text word, where a
        text word counts when it equals the theme word, is a spelling variant of
        it, or contains it as a compound part.
    """
    return _coverage(theme.split(), tokens(text), compound="longer")


@functools.lru_cache(maxsize=262144)
def theme_similarity(a: str, b: str) -> float:
    """Return the similarity of two normalised themes (see ``normalise_theme``).

    Parameters
    ----------
    a, b : str
        Normalised themes.

    Returns
    -------
    float
        In [0, 1]: the better of the whole strings as spelling variants ("3d print"
        ~ "3d printing") and the words of each covered by the other's ("printer 3d"
        ~ "3d print"). A theme that is only part of the other ("energie" in
        "duurzam energie") gets the mean of both directions, so it scores below a
        full match.
    """
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    whole = 0.0
    if a[:2] == b[:2] and min(len(a), len(b)) >= 4:
        whole = fuzz.ratio(a, b, score_cutoff=_RATIO_CUTOFF) / 100.0
    ta, tb = a.split(), b.split()
    words = (_coverage(ta, tb) + _coverage(tb, ta)) / 2.0
    return max(whole, words)


class _WordIndex:
    """All words of a vocabulary that ``token_similarity`` relates to a given token."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = list(words)
        self.position = {w: i for i, w in enumerate(self.words)}
        order = sorted(range(len(self.words)), key=self.words.__getitem__)
        self._sorted = [self.words[i] for i in order]
        self._sorted_pos = order
        rorder = sorted(range(len(self.words)), key=lambda i: self.words[i][::-1])
        self._rsorted = [self.words[i][::-1] for i in rorder]
        self._rsorted_pos = rorder
        self._cache: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()

    def matches(self, token: str, compound: str = "both") -> tuple[np.ndarray, np.ndarray]:
        """Return ``(positions, similarities)`` of the words related to ``token``.

        ``compound`` says which compound relation counts: ``"both"``, ``"longer"``
        (vocabulary words that contain the token) or ``"shorter"`` (words the token
        contains); spelling variants always count.
        """
        key = (token, compound)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        found: dict[int, float] = {}
        exact = self.position.get(token)
        if exact is not None:
            found[exact] = 1.0
        if len(token) >= 4:
            for _, score, i in process.extract(
                token, self.words, scorer=fuzz.ratio, score_cutoff=_RATIO_CUTOFF, limit=None
            ):
                word = self.words[i]
                if len(word) >= 4 and word[:2] == token[:2]:
                    found[i] = max(found.get(i, 0.0), score / 100.0)
        if len(token) >= _COMPOUND_MIN and compound in ("both", "longer"):
            # Longer words that start or end with the token (bisect on sorted words).
            for keys, pos, probe in (
                (self._sorted, self._sorted_pos, token),
                (self._rsorted, self._rsorted_pos, token[::-1]),
            ):
                j = bisect.bisect_left(keys, probe)
                while j < len(keys) and keys[j].startswith(probe):
                    if len(keys[j]) - len(token) >= _COMPOUND_EXTRA:
                        i = pos[j]
                        found[i] = max(found.get(i, 0.0), _COMPOUND_SCORE)
                    j += 1
        # Shorter words that the token starts or ends with.
        sizes = range(_COMPOUND_MIN, len(token) - _COMPOUND_EXTRA + 1)
        for size in sizes if compound in ("both", "shorter") else ():
            for part in (token[:size], token[-size:]):
                i = self.position.get(part)
                if i is not None:
                    found[i] = max(found.get(i, 0.0), _COMPOUND_SCORE)
        positions = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
        sims = np.fromiter(found.values(), dtype=np.float64, count=len(found))
        self._cache[key] = (positions, sims)
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return positions, sims


def _column_max(
    matrix: sp.csc_matrix, columns: np.ndarray, values: np.ndarray, size: int
) -> np.ndarray:
    """Per row of ``matrix``, the largest ``values[k]`` over the listed columns it has."""
    out = np.zeros(size, dtype=np.float64)
    # Ascending values, so a later (larger) assignment wins: a max without a Python loop
    # over rows.
    for k in np.argsort(values, kind="stable"):
        c = columns[k]
        rows = matrix.indices[matrix.indptr[c] : matrix.indptr[c + 1]]
        out[rows] = values[k]
    return out


def _incidence(rows: list[int], cols: np.ndarray, n_rows: int, n_cols: int) -> sp.csc_matrix:
    """A 0/1 CSC matrix with ones at ``(rows[k], cols[k])``."""
    data = np.ones(len(rows), dtype=np.float32)
    matrix = sp.csc_matrix((data, (np.asarray(rows, dtype=np.int64), cols)), shape=(n_rows, n_cols))
    matrix.sum_duplicates()
    return matrix


@dataclass(frozen=True, slots=True)
class ThemeResult:
    """Theme fit of one request against candidate offers, with what explains it.

    ``score`` holds the theme part per candidate; ``per_theme`` the best fit of
    each request theme per candidate (rows follow ``request_themes``);
    ``offer_theme_fit`` maps an offer theme (normalised) to how well it appears in
    the request's description.
    """

    score: np.ndarray
    request_themes: tuple[str, ...]
    per_theme: np.ndarray
    offer_theme_fit: dict[str, float]
    informative: bool


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
    words : sequence of str
        The words of the offers' texts (lower case, no stop words, not stemmed).
    doc_words : scipy.sparse matrix
        Offers × ``words``, non-zero where the offer's text (description and
        themes) has the word; ``TextSimilarity.doc_words_`` fits.
    weights : Weights
        ``theme_cutoff``, ``theme_in_description`` and ``theme_all_weight`` are used.
    """

    def __init__(
        self,
        offer_themes: Sequence[Sequence[str]],
        words: Sequence[str],
        doc_words: sp.spmatrix,
        weights: Weights,
    ) -> None:
        self.weights = weights
        n = len(offer_themes)
        self.n_offers = n
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
        dense = np.zeros(self.n_offers)
        for j, norm in enumerate(norms):
            pos, vals = self._theme_fit(norm)
            dense[pos] = vals
            per_theme[j] = dense[candidates]
            dense[pos] = 0.0
        if norms:
            request_side = (1.0 - w.theme_all_weight) * per_theme.max(axis=0)
            request_side += w.theme_all_weight * per_theme.mean(axis=0)
        else:
            request_side = np.zeros(m)

        offer_theme_fit: dict[str, float] = {}
        offer_side = np.zeros(m)
        if request_text.strip() and self.theme_vocab:
            in_text = self._themes_in_text(request_text)
            present = np.flatnonzero(in_text)
            if len(present):
                offer_side = _column_max(
                    self.offer_theme, present, in_text[present], self.n_offers
                )[candidates]
                offer_theme_fit = {self.theme_vocab[p]: float(in_text[p]) for p in present}
        informative = bool(norms) or bool(request_text.strip())
        score = np.clip(np.maximum(request_side, offer_side), 0.0, 1.0)
        return ThemeResult(score, tuple(labels), per_theme, offer_theme_fit, informative)


# --- the other parts ----------------------------------------------------------------------

#: Bit for audiences outside the exchange format's target groups (hbo, professionals).
OTHER_AUDIENCE = 1 << len(TARGET_GROUP_BITS)

# Phrases in an offer's description that say who it is for. Only read for offers that
# list no target groups: "Workshop voor mbo-niveau 4, hbo en vakmensen" is not for klas 1.
_AUDIENCE_PATTERNS: tuple[tuple[str, int], ...] = (
    (
        r"groep(?:en)? [1-8](?:\s*(?:-|t/m|en)\s*[1-8])?|basis(?:school|scholen|onderwijs)"
        r"|primair onderwijs|basisschoolleerlingen",
        TARGET_GROUP_BITS["po"],
    ),
    (r"vmbo", TARGET_GROUP_BITS["vmbo_onderbouw"] | TARGET_GROUP_BITS["vmbo_bovenbouw"]),
    (r"mbo|mbo-studenten|roc", TARGET_GROUP_BITS["mbo"]),
    (r"havo|vwo|lyceum|gymnasium|atheneum|tto", TARGET_GROUP_BITS["havo_vwo"]),
    (r"docent(?:en)?|leraren|leerkrachten|instructeurs|nascholing", TARGET_GROUP_BITS["docenten"]),
    (
        r"hbo|wo-studenten|universiteit|vakmensen|professionals|volwassenen|werkzoekenden",
        OTHER_AUDIENCE,
    ),
)
_AUDIENCE_RE = re.compile(
    "|".join(f"(?P<a{i}>\\b(?:{p})\\b)" for i, (p, _) in enumerate(_AUDIENCE_PATTERNS))
)


def audience_hints(text: str) -> int:
    """Return the audiences an offer's text names, as a target-group bitmask.

    Parameters
    ----------
    text : str
        An offer's description.

    Returns
    -------
    int
        OR of ``TARGET_GROUP_BITS`` (and ``OTHER_AUDIENCE`` for hbo, professionals
        and the like) named in the text; 0 when it names none.
    """
    mask = 0
    for m in _AUDIENCE_RE.finditer(text.lower()):
        mask |= _AUDIENCE_PATTERNS[int(m.lastgroup[1:])][1]  # type: ignore[index]
    return mask


def audience_score(
    offer_groups: np.ndarray, offer_hints: np.ndarray, request_group: int, weights: Weights
) -> tuple[np.ndarray, np.ndarray]:
    """Return the audience part and the mask of offers described for another audience.

    Parameters
    ----------
    offer_groups : ndarray of int
        Target-group bitmasks of the offers (0 = any; the rules already removed
        offers that list groups without the request's).
    offer_hints : ndarray of int
        ``audience_hints`` of each offer's description.
    request_group : int
        Bit of the request's target group.
    weights : Weights
        ``audience_unknown_score`` is used.

    Returns
    -------
    score : ndarray of float
        1 for an offer that lists the group or names it in its text,
        ``audience_unknown_score`` for one that says nothing, 0 for one whose
        text names only other audiences (teachers aside).
    mismatch : ndarray of bool
        The last case (for ``audience_mismatch_factor``).
    """
    listed = offer_groups != 0
    named = (offer_hints & request_group) != 0
    # Teachers are named in many pupil offers ("de docent krijgt lesmateriaal"): that
    # makes an offer fit a teachers' request, but never unfit for pupils.
    others = offer_hints & ~TARGET_GROUP_BITS["docenten"]
    other = ~listed & (others != 0) & ~named
    score = np.where(listed | named, 1.0, np.where(other, 0.0, weights.audience_unknown_score))
    return score, other


_POPCOUNT = np.array([bin(i).count("1") for i in range(1 << 10)], dtype=np.int64)


def popcount(masks: np.ndarray) -> np.ndarray:
    """Return the number of bits set in each bitmask.

    Parameters
    ----------
    masks : ndarray of int
        Bitmasks below ``2**10`` (the vocabularies have at most 10 codes).

    Returns
    -------
    ndarray of int
    """
    return _POPCOUNT[masks]


def kind_score(offer_kinds: np.ndarray, request_kinds: int) -> np.ndarray:
    """Return the share of the request's kinds that each offer provides.

    Parameters
    ----------
    offer_kinds : ndarray of int
        Kind bitmasks of the offers.
    request_kinds : int
        Kind bitmask of the request (any one kind passes the rules).

    Returns
    -------
    ndarray of float
        In [0, 1] per offer.
    """
    wanted = bin(request_kinds).count("1")
    if wanted == 0:
        return np.zeros(offer_kinds.shape)
    return popcount(offer_kinds & request_kinds) / wanted


def sector_score(
    offer_sectors: np.ndarray, request_sectors: int, weights: Weights
) -> tuple[np.ndarray, np.ndarray]:
    """Return the sector (profile) part and the mask of offers that share no profile.

    Parameters
    ----------
    offer_sectors : ndarray of int
        Sector bitmasks of the offers (0 = relevant to any).
    request_sectors : int
        Sector bitmask of the request (0 = any).
    weights : Weights
        ``sector_any_score``, ``sector_match_base`` and ``neutral`` are used.

    Returns
    -------
    score : ndarray of float
        An offer without profiles scores ``sector_any_score``; an overlap
        ``sector_match_base`` plus the rest in proportion to the share of the
        offer's profiles that the request asks for (specialists first); no
        overlap 0. A request without profiles makes the part neutral.
    mismatch : ndarray of bool
        Offers that list profiles and share none (for ``sector_mismatch_factor``).
    """
    n = offer_sectors.shape[0]
    if request_sectors == 0:
        return np.full(n, weights.neutral), np.zeros(n, dtype=bool)
    common = popcount(offer_sectors & request_sectors)
    listed = popcount(offer_sectors)
    share = np.divide(common, listed, out=np.zeros(n), where=listed > 0)
    score = np.where(
        listed == 0,
        weights.sector_any_score,
        np.where(
            common > 0, weights.sector_match_base + (1 - weights.sector_match_base) * share, 0.0
        ),
    )
    return score, (listed > 0) & (common == 0)


def decay(distance_km: np.ndarray, half_km: float) -> np.ndarray:
    """Return a smooth nearness in (0, 1].

    Parameters
    ----------
    distance_km : ndarray of float
        Distances in km.
    half_km : float
        Distance at which the result is 0.5.

    Returns
    -------
    ndarray of float
        ``1 / (1 + (d / half_km)**2)``: 1 at 0 km, falling as 1/d² far away.
    """
    return 1.0 / (1.0 + (np.asarray(distance_km) / max(half_km, 1e-9)) ** 2)


def distance_score(
    distance_km: np.ndarray,
    where: np.ndarray,
    travel_km: np.ndarray,
    common_kinds: np.ndarray,
    max_travel_km: float | None,
    weights: Weights,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the distance part: the best way the activity can take place, and which.

    Pupils travelling (``bij_bedrijf``, and any kind that happens at the company
    by nature) decay with ``pupil_half_km``; a company coming to the school
    (``op_school``) decays with the slower ``company_half_km``; online scores
    ``online_score``. Only ways that the hard rules let through count.

    Parameters
    ----------
    distance_km : ndarray of float
        Distance from the request to each offer.
    where : ndarray of int
        ``where`` bitmasks of the offers (defaults applied).
    travel_km : ndarray of float
        The offers' ``travel_km`` (NaN = no limit).
    common_kinds : ndarray of int
        Kind bitmask shared by each offer and the request.
    max_travel_km : float or None
        The request's ``max_travel_km``.
    weights : Weights
        The decay constants.

    Returns
    -------
    score : ndarray of float
        The distance part per offer.
    mode : ndarray of int
        The ``WHERE_BITS`` value of the way that gave the score.
    far : ndarray of float
        Multiplier of the whole score for trips beyond a practical radius
        (``pupil_reach_km``, ``company_reach_km``) when no limit was given.
    """
    pupils = decay(distance_km, weights.pupil_half_km)
    company = decay(distance_km, weights.company_half_km)
    at_company_only = (common_kinds & ~AT_COMPANY_KINDS) == 0
    bij = (where & WHERE_BITS["bij_bedrijf"]) != 0
    if max_travel_km is not None:
        bij &= distance_km <= max_travel_km
    school = ((where & WHERE_BITS["op_school"]) != 0) & (
        np.isnan(travel_km) | (distance_km <= travel_km)
    )
    online = (where & WHERE_BITS["online"]) != 0
    # A visit to the company cannot come to the school: prefer the ways that fit the
    # kind, and fall back to any reachable way when none does.
    options = [
        (np.where(bij, pupils, -1.0), WHERE_BITS["bij_bedrijf"]),
        (np.where(school & ~at_company_only, company, -1.0), WHERE_BITS["op_school"]),
        (np.where(online & ~at_company_only, weights.online_score, -1.0), WHERE_BITS["online"]),
    ]
    score = np.full(distance_km.shape, -1.0)
    mode = np.zeros(distance_km.shape, dtype=np.int64)
    for values, bit in options:
        better = values > score
        score = np.where(better, values, score)
        mode = np.where(better, bit, mode)
    fallback = score < 0
    if fallback.any():
        alt = np.where(school, company, np.where(online, weights.online_score, 0.0))
        score = np.where(fallback, alt, score)
        mode = np.where(
            fallback,
            np.where(school, WHERE_BITS["op_school"], WHERE_BITS["online"]),
            mode,
        )
    # Beyond a practical radius a trip is unlikely even when no limit was given; a
    # limit that was given is the hard rule's business, so it is not second-guessed.
    far = np.ones(distance_km.shape)
    if max_travel_km is None:
        pupil_far = far_factor(distance_km, weights.pupil_reach_km, weights.far_factor_min)
        far = np.where(mode == WHERE_BITS["bij_bedrijf"], pupil_far, far)
    company_far = far_factor(distance_km, weights.company_reach_km, weights.far_factor_min)
    far = np.where((mode == WHERE_BITS["op_school"]) & np.isnan(travel_km), company_far, far)
    return np.clip(score, 0.0, 1.0), mode, far


def far_factor(distance_km: np.ndarray, reach_km: float, floor: float) -> np.ndarray:
    """Return a multiplier for trips beyond a practical radius.

    Parameters
    ----------
    distance_km : ndarray of float
        Distances in km.
    reach_km : float
        Up to this distance the factor is 1.
    floor : float
        The factor from three times ``reach_km`` on; linear in between.

    Returns
    -------
    ndarray of float
        In [floor, 1].
    """
    reach = max(reach_km, 1e-9)
    excess = np.clip((np.asarray(distance_km) - reach) / (2 * reach), 0.0, 1.0)
    return 1.0 - (1.0 - floor) * excess


def timing_score(overlap_days: np.ndarray, period_days: int | None, weights: Weights) -> np.ndarray:
    """Return the timing part: the share of the requested period the offer covers.

    Parameters
    ----------
    overlap_days : ndarray of float
        Days of the period inside the offer's ranges; NaN for offers without
        dates (always available: ``always_available_score``).
    period_days : int or None
        Length of the request's period; None makes the part neutral.
    weights : Weights
        ``always_available_score`` and ``neutral`` are used.

    Returns
    -------
    ndarray of float
        In [0, 1] per offer.
    """
    if period_days is None:
        return np.full(overlap_days.shape, weights.neutral)
    share = np.clip(overlap_days / max(period_days, 1), 0.0, 1.0)
    return np.where(np.isnan(overlap_days), weights.always_available_score, share)


def capacity_score(capacity: np.ndarray, group_size: int | None, weights: Weights) -> np.ndarray:
    """Return the capacity part: headroom between group size and capacity.

    Parameters
    ----------
    capacity : ndarray of float
        The offers' capacities (NaN = not given).
    group_size : int or None
        The request's group size; None makes the part neutral.
    weights : Weights
        ``capacity_headroom`` and ``neutral`` are used.

    Returns
    -------
    ndarray of float
        0.6 when the group just fits, rising to 1 with ``capacity_headroom``
        (a share of the group) to spare; 0.8 when the offer gives no capacity
        (probably fine, not confirmed).
    """
    if group_size is None:
        return np.full(capacity.shape, weights.neutral)
    spare = (capacity - group_size) / max(group_size, 1)
    score = 0.6 + 0.4 * np.clip(spare / max(weights.capacity_headroom, 1e-9), 0.0, 1.0)
    return np.where(np.isnan(capacity), 0.8, score)


def fairness_score(
    yearly_limit: np.ndarray, introductions: np.ndarray, weights: Weights
) -> np.ndarray:
    """Return the fairness part: lower for offers asked often this year.

    Parameters
    ----------
    yearly_limit : ndarray of float
        How often each offer may be introduced per school year (NaN = no limit).
    introductions : ndarray of float
        Introductions so far this school year.
    weights : Weights
        ``fairness_intro_scale`` is used.

    Returns
    -------
    ndarray of float
        With a limit ``1 - introductions / limit`` (0 at the limit); without one
        ``1 / (1 + introductions / fairness_intro_scale)``.
    """
    used = np.divide(
        introductions,
        yearly_limit,
        out=np.zeros(introductions.shape),
        where=~np.isnan(yearly_limit) & (yearly_limit > 0),
    )
    limited = np.clip(1.0 - used, 0.0, 1.0)
    unlimited = 1.0 / (1.0 + introductions / max(weights.fairness_intro_scale, 1e-9))
    return np.where(np.isnan(yearly_limit), unlimited, limited)


def text_score(cosine: np.ndarray, weights: Weights) -> np.ndarray:
    """Return the text part from cosine similarities.

    Parameters
    ----------
    cosine : ndarray of float
        TF-IDF cosine similarities.
    weights : Weights
        ``text_half`` is used.

    Returns
    -------
    ndarray of float
        ``c / (c + text_half)``: saturating, so one strong overlap is not needed
        for a good part, and a weak one counts little.
    """
    c = np.clip(cosine, 0.0, 1.0)
    return c / (c + max(weights.text_half, 1e-9))
