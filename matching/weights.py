"""All weights and decay constants of the matcher, in one documented place."""

from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = ["PART_NAMES", "Weights"]

#: The scored dimensions, in the order reasons are listed.
PART_NAMES: tuple[str, ...] = (
    "kind",
    "sector",
    "distance",
    "theme",
    "audience",
    "text",
    "timing",
    "capacity",
    "fairness",
)


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of the score parts and the constants that shape each part.

    The score is the weighted mean of the parts (each in [0, 1]), multiplied by
    ``sector_mismatch_factor`` when both sides list profiles and share none and by
    ``region_mismatch_factor`` when the offer is out of the request's region. The
    defaults follow what a coordinator picks first: the right profile and theme,
    then a good description fit, reachability and timing, then nearness.
    """

    kind: float = 0.06
    """Share of the request's kinds that the offer covers (any one passes the rules)."""

    sector: float = 0.26
    """Profiles (vmbo sectors) in common; none in common is the strongest negative signal."""

    audience: float = 0.04
    """Target-group fit: listed explicitly, unknown, or described as another audience."""

    theme: float = 0.24
    """Fuzzy theme fit, including theme words found in the other side's description."""

    text: float = 0.18
    """TF-IDF cosine of descriptions and themes (word and character n-grams)."""

    distance: float = 0.14
    """Nearness, decayed by who travels; online offers get ``online_score``."""

    timing: float = 0.07
    """How much of the requested period the offer is available in."""

    capacity: float = 0.02
    """Headroom between the group size and the offer's capacity."""

    fairness: float = 0.03
    """Lower for offers close to their yearly limit or introduced often this year."""

    sector_mismatch_factor: float = 0.7
    """Multiplier on the whole score when both sides list profiles and share none."""

    sector_any_score: float = 0.45
    """Sector part for an offer that lists no profiles (relevant to any)."""

    sector_match_base: float = 0.8
    """Sector part for an overlap; the rest grows with the share of the offer's profiles shared."""

    audience_unknown_score: float = 0.7
    """Audience part of an offer that lists no target groups and names none in its text."""

    audience_mismatch_factor: float = 0.8
    """Multiplier when an offer lists no target groups but its text names only others."""

    region_mismatch_factor: float = 0.85
    """Multiplier for an out-of-region offer: its ``regions`` lack the request's ``region``.

    A preference, not a rule: the offer stays listed, below a comparable in-region
    one, and a perfect fit elsewhere still ranks above a mediocre one nearby.
    """

    pupil_half_km: float = 15.0
    """Distance at which the decay is 0.5 when pupils travel (``bij_bedrijf``)."""

    company_half_km: float = 50.0
    """Distance at which the decay is 0.5 when the company travels (``op_school``)."""

    pupil_reach_km: float = 30.0
    """Pupils' trip beyond which the score is lowered, when the request gives no limit."""

    company_reach_km: float = 60.0
    """Company's trip beyond which the score is lowered, when the offer gives no limit."""

    far_factor_min: float = 0.6
    """Score multiplier at three times the reach and beyond (linear from 1 at the reach)."""

    online_score: float = 0.7
    """Distance part of an online offer: neutral-good, below a nearby visit."""

    theme_cutoff: float = 0.78
    """Fuzzy theme similarity (0-1) below which two themes do not count as the same."""

    theme_in_description: float = 0.75
    """Credit for a theme that appears in the other side's description, not its themes."""

    theme_all_weight: float = 0.5
    """Blend of mean (covers all requested themes) and max (covers one) theme fit."""

    concept_theme_score: float = 0.85
    """Theme fit when the offer's themes name the request theme's trade concept in any
    language ("koudetechniek" ~ "refrigeration"); as much as a compound part, below the
    same theme as written (a concept is broader than one theme)."""

    concept_conflict_factor: float = 0.5
    """Multiplier on a fuzzy theme fit when the request theme names a trade concept and
    the offer names only other ones: the fit rests on a shared generic word."""

    text_half: float = 0.12
    """Cosine at which the text part reaches 0.5 (saturating: ``c / (c + text_half)``)."""

    always_available_score: float = 0.9
    """Timing part of an offer without dates when the request gives a period."""

    capacity_headroom: float = 0.25
    """Spare capacity, as a share of the group size, that earns the full capacity part."""

    fairness_intro_scale: float = 10.0
    """Introductions this year that halve the fairness part when no yearly limit is known."""

    neutral: float = 0.5
    """Value of a part that the inputs say nothing about (same for every offer)."""

    text_reason_min: float = 0.45
    """Text part from which "beschrijving past" is given as a reason."""

    def parts(self) -> dict[str, float]:
        """Return the weight of each scored part, keyed by part name.

        Returns
        -------
        dict of str to float
            The weights in ``PART_NAMES`` order.
        """
        return {name: float(getattr(self, name)) for name in PART_NAMES}

    def total(self) -> float:
        """Return the sum of the part weights (the score's denominator)."""
        return sum(self.parts().values())

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or value != value or value < 0:
                raise ValueError(f"Weights.{f.name} must be a non-negative number")
        if self.total() <= 0:
            raise ValueError("Weights: at least one part weight must be positive")
        for name in (
            "sector_mismatch_factor",
            "audience_mismatch_factor",
            "region_mismatch_factor",
            "far_factor_min",
            "concept_theme_score",
            "concept_conflict_factor",
        ):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"Weights.{name} must lie in [0, 1]")
