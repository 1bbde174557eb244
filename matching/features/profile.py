"""Kind and sector (profile) parts of the score, from bitmask overlaps."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from matching.weights import Weights

if TYPE_CHECKING:
    import numpy.typing as npt

_POPCOUNT = np.array([bin(i).count("1") for i in range(1 << 10)], dtype=np.int64)


def popcount(masks: np.ndarray) -> npt.NDArray[np.int64]:
    """Return the number of bits set in each bitmask.

    Parameters
    ----------
    masks : ndarray of int
        Bitmasks below ``2**10`` (the vocabularies have at most 10 codes).

    Returns
    -------
    ndarray of int
    """
    counts: npt.NDArray[np.int64] = _POPCOUNT[masks]
    return counts


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
