"""Dutch word normalisation and fuzzy similarity of themes, words and texts."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from rapidfuzz import fuzz

from matching.text import DUTCH_STOP_WORDS, WORD_PATTERN
from matching.weights import Weights

if TYPE_CHECKING:
    import numpy.typing as npt

# Token similarity: a spelling variant must keep the first two letters (so "klassen"
# never meets "lassen") and score at least this rapidfuzz ratio.
_RATIO_CUTOFF = 80.0
# Compound parts: "installatie" meets "installatietechniek" when the shorter word is
# at least 5 letters and the longer adds at least 3 ("klassen" is not "k" + "lassen").
_COMPOUND_MIN, _COMPOUND_EXTRA, _COMPOUND_SCORE = 5, 3, 0.85
# The same words as the text vectoriser's (two or more word characters).
_WORD_RE = re.compile(WORD_PATTERN)


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


def text_score(cosine: np.ndarray, weights: Weights) -> npt.NDArray[np.floating[Any]]:
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
    # The width follows the input: float32 cosines give float32 parts.
    part: npt.NDArray[np.floating[Any]] = c / (c + max(weights.text_half, 1e-9))
    return part
