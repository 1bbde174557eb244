"""Explanations of a ranked match: the facts its reasons are written from."""

from __future__ import annotations

from matching import features, reasons, rules
from matching.types import Offer, Request
from matching.weights import Weights

__all__ = ["explain", "theme_labels"]

_MODE_NAMES = {
    rules.WHERE_BITS["bij_bedrijf"]: "bij_bedrijf",
    rules.WHERE_BITS["op_school"]: "op_school",
    rules.WHERE_BITS["online"]: "online",
}


def explain(
    weights: Weights,
    offer: Offer,
    request: Request,
    c: int,
    values: dict[str, float],
    distance_km: float,
    mode: int,
    theme: features.ThemeResult,
    mismatch: bool,
) -> reasons.Explanation:
    """The facts of one match that its reasons are written from.

    ``c`` is the offer's position among the candidates of the theme result;
    ``values`` are its score parts and ``mode`` the ``WHERE_BITS`` value of the
    way the activity takes place.
    """
    themes = theme_labels(weights, offer, c, theme)
    timing = None
    if request.period is not None:
        if not offer.available:
            timing = "always"
        elif values["timing"] >= 0.999:
            timing = "full"
        else:
            timing = "part"
    capacity = None
    if offer.capacity is not None and request.group_size is not None:
        capacity = offer.capacity
    fairness = None
    if values["fairness"] < 0.999:
        fairness = "limit" if offer.yearly_limit else "busy"
    state = reasons.sector_state(offer, request)
    if mismatch:
        state = "none"
    return reasons.Explanation(
        kinds=reasons.common_in_order(request.kinds, offer.kinds),
        sectors=reasons.common_in_order(request.sectors, offer.sectors),
        sector_state=state,
        mode=_MODE_NAMES.get(mode, "bij_bedrijf"),
        distance_km=distance_km,
        themes=themes,
        text_fits=values["text"] >= weights.text_reason_min,
        timing=timing,
        capacity=capacity,
        fairness=fairness,
        target_group=request.target_group,
    )


def theme_labels(
    weights: Weights, offer: Offer, c: int, theme: features.ThemeResult
) -> tuple[str, ...]:
    """Themes that raised this offer's theme part, as people wrote them."""
    labels: list[str] = []
    offer_norms = [(t, features.normalise_theme(t)) for t in offer.themes]  # cached
    for j, label in enumerate(theme.request_themes):
        fit = theme.per_theme[j, c] if theme.per_theme.size else 0.0
        if fit <= 0:
            continue
        norm = features.normalise_theme(label)
        best, best_label = 0.0, label
        for written, onorm in offer_norms:
            s = features.theme_similarity(norm, onorm)
            if s > best:
                best, best_label = s, written
        # The offer's own theme when that is what fitted, else the request's theme
        # found in the offer's description.
        labels.append(best_label if best >= weights.theme_cutoff and best >= fit else label)
    for written, onorm in offer_norms:
        if theme.offer_theme_fit.get(onorm, 0.0) > 0:
            labels.append(written)
    out: list[str] = []
    seen: set[str] = set()
    for label in labels:
        clean = reasons.clean_label(label)
        if clean and clean.casefold() not in seen:
            seen.add(clean.casefold())
            out.append(clean)
    return tuple(out)
