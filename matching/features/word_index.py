"""Vocabulary look-ups of related words and sparse helpers that spread scores to offers."""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process

from matching.features.words import _COMPOUND_EXTRA, _COMPOUND_MIN, _COMPOUND_SCORE, _RATIO_CUTOFF

_CACHE_SIZE = 4096


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
                at = self.position.get(part)
                if at is not None:
                    found[at] = max(found.get(at, 0.0), _COMPOUND_SCORE)
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
