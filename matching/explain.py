"""Explanations of a ranked match: the facts its reasons are written from."""

from __future__ import annotations

from matching import features, reasons, rules
from matching.terms import TradeVocabulary
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
    vocabulary: TradeVocabulary | None = None,
) -> reasons.Explanation:
    """The facts of one match that its reasons are written from.

    ``c`` is the offer's position among the candidates of the theme result;
    ``values`` are its score parts and ``mode`` the ``WHERE_BITS`` value of the
    way the activity takes place.
    """
    pairs = theme_labels(weights, offer, c, theme, vocabulary)
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
        themes=tuple(nl for nl, _ in pairs),
        themes_en=tuple(en for _, en in pairs),
        text_fits=values["text"] >= weights.text_reason_min,
        timing=timing,
        capacity=capacity,
        fairness=fairness,
        target_group=request.target_group,
    )


def theme_labels(
    weights: Weights,
    offer: Offer,
    c: int,
    theme: features.ThemeResult,
    vocabulary: TradeVocabulary | None = None,
) -> tuple[tuple[str, str], ...]:
    """Themes that raised this offer's theme part, as (Dutch, English) labels.

    A theme as people wrote it has the same label in both; a fit through a trade
    concept is named by the concept, in each language ("koudetechniek",
    "refrigeration").
    """
    labels: list[tuple[str, str]] = []
    offer_norms = [(t, features.normalise_theme(t)) for t in offer.themes]  # cached
    offer_concepts: frozenset[str] = frozenset()
    if vocabulary is not None and theme.concept_fit is not None:
        offer_concepts = vocabulary.find_all([offer.description, *offer.themes])
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
        if best >= weights.theme_cutoff and best >= fit:
            # The offer's own theme is what fitted.
            labels.append((best_label, best_label))
            continue
        concept = None
        # Through a concept only when the theme as written is not in the description.
        by_concept = (
            theme.concept_fit is not None
            and theme.concept_fit[j, c] >= fit
            and features.theme_in_text(norm, offer.description) < weights.theme_cutoff
        )
        if vocabulary is not None and by_concept:
            shared = sorted(theme.theme_concepts[j] & offer_concepts)
            concept = shared[0] if shared else None
        if concept is not None and vocabulary is not None:
            labels.append((vocabulary.label(concept, "nl"), vocabulary.label(concept, "en")))
        else:
            # The request's theme found in the offer's description.
            labels.append((label, label))
    by_concept = theme.offer_theme_concepts or {}
    for written, onorm in offer_norms:
        if theme.offer_theme_fit.get(onorm, 0.0) > 0:
            concept = by_concept.get(onorm)
            if concept is not None and vocabulary is not None:
                labels.append((vocabulary.label(concept, "nl"), vocabulary.label(concept, "en")))
            else:
                labels.append((written, written))
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for nl, en in labels:
        clean_nl, clean_en = reasons.clean_label(nl), reasons.clean_label(en)
        if clean_nl and clean_en and clean_nl.casefold() not in seen:
            seen.add(clean_nl.casefold())
            out.append((clean_nl, clean_en))
    return tuple(out)
