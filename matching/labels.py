"""The one place where a score becomes a label: ``zeer_goed``, ``goed`` or ``redelijk``."""

from __future__ import annotations

__all__ = ["GOOD_FROM", "LABELS", "VERY_GOOD_FROM", "label_for"]

#: The label codes of the ranking output, best first.
LABELS: tuple[str, ...] = ("zeer_goed", "goed", "redelijk")

# Calibrated on the judged dev set with benchmarks/labels.py (top 10 per request,
# judged pairs only): at 0.60, 8.3 % of the pairs judged 0-1 (unsuitable, weak)
# carry "goed" or better and 87.4 % of those judged 2-3 do. 0.59 would already let
# 9.6 % of the weak ones through, too close to the 10 % the spec allows.
GOOD_FROM = 0.60
# At 0.80 no pair judged 0-1 is "zeer_goed" (the highest weak one scored 0.765),
# and 83 % of the "zeer_goed" pairs are judged 3 (excellent).
VERY_GOOD_FROM = 0.80


def label_for(score: float) -> str:
    """Return the label of a match score, as the ranking output and the web app show it.

    Parameters
    ----------
    score : float
        The match score in [0, 1] (as ranked, rounded to 4 decimals).

    Returns
    -------
    str
        ``"zeer_goed"`` from ``VERY_GOOD_FROM``, ``"goed"`` from ``GOOD_FROM``,
        else ``"redelijk"`` (also for NaN).
    """
    if score >= VERY_GOOD_FROM:
        return "zeer_goed"
    if score >= GOOD_FROM:
        return "goed"
    return "redelijk"
