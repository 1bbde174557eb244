"""Fairness part of the score: offers introduced often this year score lower."""

from __future__ import annotations

import numpy as np

from matching.weights import Weights


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
