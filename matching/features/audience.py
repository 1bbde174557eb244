"""Audience detection in offer descriptions and the audience part of the score."""

from __future__ import annotations

import re
from typing import cast

import numpy as np

from matching.rules import TARGET_GROUP_BITS
from matching.weights import Weights

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
        # Every alternative of the pattern is a named group, so a match always has one.
        group = cast(str, m.lastgroup)
        mask |= _AUDIENCE_PATTERNS[int(group[1:])][1]
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
