"""Timing and capacity parts of the score: period overlap and room for the group."""

from __future__ import annotations

import numpy as np

from matching.weights import Weights


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
