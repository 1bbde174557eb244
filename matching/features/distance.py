"""Distance part of the score: decay with travel, the way the activity takes place, reach."""

from __future__ import annotations

import numpy as np

from matching.rules import KIND_BITS, WHERE_BITS
from matching.weights import Weights

#: Kinds that happen at the company by nature: the pupils or teachers travel.
AT_COMPANY_KINDS = (
    KIND_BITS["bedrijfsbezoek"] | KIND_BITS["stage_leerling"] | KIND_BITS["stage_docent"]
)


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
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the distance part, the best way the activity can take place, and the reach factor.

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
