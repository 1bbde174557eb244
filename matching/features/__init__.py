"""Per-dimension scorers of the matcher, each in [0, 1], vectorised over candidate offers."""

from __future__ import annotations

from matching.features.audience import OTHER_AUDIENCE, audience_hints, audience_score
from matching.features.availability import capacity_score, timing_score
from matching.features.distance import AT_COMPANY_KINDS, decay, distance_score, far_factor
from matching.features.fairness import fairness_score
from matching.features.profile import kind_score, popcount, sector_score
from matching.features.region import RegionIndex
from matching.features.themes import ThemeMatcher, ThemeResult
from matching.features.words import (
    normalise_theme,
    stem,
    text_score,
    theme_in_text,
    theme_similarity,
    token_similarity,
    tokens,
)

__all__ = [
    "AT_COMPANY_KINDS",
    "OTHER_AUDIENCE",
    "RegionIndex",
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
