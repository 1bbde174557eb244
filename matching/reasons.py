"""Short human-readable reasons for a match, in Dutch (default) or English."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matching import vocabulary
from matching.types import Offer, Request

__all__ = [
    "Explanation",
    "clean_label",
    "common_in_order",
    "reasons",
    "region_label",
    "region_labels",
    "sector_state",
]

_TEXTS: dict[str, tuple[str, str]] = {
    "kind": ("soort: {}", "kind: {}"),
    "sector": ("profiel: {}", "profile: {}"),
    "sector_any": ("alle profielen", "all profiles"),
    "sector_none": ("geen profiel gemeen", "no profile in common"),
    "audience_match": ("doelgroep: {}", "target group: {}"),
    "audience_other": ("beschreven voor een andere doelgroep", "described for another audience"),
    "distance": ("afstand: {} km", "distance: {} km"),
    "online": ("online", "online"),
    "op_school": ("komt naar school", "comes to the school"),
    "region_out": ("buiten uw regio: {}", "outside your region: {}"),
    "region_out_unnamed": ("buiten uw regio", "outside your region"),
    "theme": ("thema: {}", "theme: {}"),
    "text": ("beschrijving past", "description fits"),
    "period_full": ("past in de periode", "fits the period"),
    "period_part": ("deels in de periode", "partly in the period"),
    "period_always": ("altijd beschikbaar", "always available"),
    "capacity": ("capaciteit: {}", "capacity: {}"),
    "busy": ("al vaak voorgesteld dit jaar", "often introduced this year"),
    "limit": ("bijna aan de jaarlimiet", "close to its yearly limit"),
}

# Free-text themes are shown to coordinators before any introduction: never let one
# carry contact details (an address, a link, a phone number).
_CONTACT_RE = re.compile(r"@|https?:|www\.|\.(nl|com|org|eu)\b|\d[\d\s\-()+]{5,}\d", re.IGNORECASE)
_MAX_LABEL = 40
_MAX_THEMES = 3
_MAX_REGIONS = 2


def clean_label(text: str) -> str | None:
    """Return a free-text theme as it may be shown to coordinators.

    Parameters
    ----------
    text : str
        A theme as written.

    Returns
    -------
    str or None
        One line of at most 40 characters; None when it is empty or looks like
        contact details (an email address, a link, a phone number).
    """
    label = " ".join(text.split())
    if not label or _CONTACT_RE.search(label):
        return None
    if len(label) > _MAX_LABEL:
        label = label[: _MAX_LABEL - 1].rstrip() + "…"
    return label


@dataclass(frozen=True, slots=True)
class Explanation:
    """What moved one offer's score, as computed by the index.

    ``mode`` is ``"online"``, ``"op_school"`` or ``"bij_bedrijf"``; ``themes``
    are the labels of the themes that fit; ``timing`` is ``"full"``, ``"part"``,
    ``"always"`` or None; ``fairness`` is ``"busy"``, ``"limit"`` or None;
    ``audience`` is ``"match"`` (the request's ``target_group`` is listed or named),
    ``"other"`` (the text names other audiences) or None; ``outside_region`` is
    None unless the offer is out of the request's region, then the display names
    of the offer's regions (possibly none that may be shown). ``themes_en`` are
    the same themes for English reasons (a trade concept is named per language);
    when None, ``themes`` serve both.
    """

    kinds: tuple[str, ...]
    sectors: tuple[str, ...]
    sector_state: str
    mode: str
    distance_km: float
    themes: tuple[str, ...]
    text_fits: bool
    timing: str | None
    capacity: int | None
    fairness: str | None
    target_group: str = ""
    audience: str | None = None
    outside_region: tuple[str, ...] | None = None
    themes_en: tuple[str, ...] | None = None


def _say(key: str, lang: str, *args: object) -> str:
    nl, en = _TEXTS[key]
    return (en if lang == "en" else nl).format(*args)


def reasons(explanation: Explanation, lang: str = "nl") -> tuple[str, ...]:
    """Return the reasons for a match, most important first.

    Parameters
    ----------
    explanation : Explanation
        The parts that moved the score.
    lang : {"nl", "en"}
        Language of the phrases; vocabulary codes stay as they are.

    Returns
    -------
    tuple of str
        For example ``("soort: gastles", "profiel: pie", "afstand: 12 km",
        "thema: energietransitie")``. Never contains contact details.
    """
    e = explanation
    out = [_say("kind", lang, vocabulary.short("kinds", k, lang)) for k in e.kinds]
    if e.sector_state == "match":
        out += [_say("sector", lang, s) for s in e.sectors]
    elif e.sector_state == "any":
        out.append(_say("sector_any", lang))
    elif e.sector_state == "none":
        out.append(_say("sector_none", lang))
    if e.mode == "online":
        out.append(_say("online", lang))
    else:
        out.append(_say("distance", lang, round(e.distance_km)))
        if e.mode == "op_school":
            out.append(_say("op_school", lang))
    # Next to where it takes place, before the themes: a coordinator must see it
    # however many reasons follow.
    if e.outside_region is not None:
        if e.outside_region:
            out.append(_say("region_out", lang, ", ".join(e.outside_region)))
        else:
            out.append(_say("region_out_unnamed", lang))
    themes = e.themes_en if lang == "en" and e.themes_en is not None else e.themes
    out += [_say("theme", lang, t) for t in themes[:_MAX_THEMES]]
    if e.audience == "match":
        audience = vocabulary.short("target_groups", e.target_group, lang)
        out.append(_say("audience_match", lang, audience))
    elif e.audience == "other":
        out.append(_say("audience_other", lang))
    if e.text_fits:
        out.append(_say("text", lang))
    if e.timing is not None:
        out.append(_say(f"period_{e.timing}", lang))
    if e.capacity is not None:
        out.append(_say("capacity", lang, e.capacity))
    if e.fairness is not None:
        out.append(_say(e.fairness, lang))
    return tuple(out)


def region_label(code: str, names: Mapping[str, str] | None = None) -> str:
    """Return the display name of a region code.

    Parameters
    ----------
    code : str
        A region code, such as ``"noord-drenthe"``.
    names : mapping of str to str, optional
        Code to display name, as the web app knows them.

    Returns
    -------
    str
        ``names[code]`` when given, else the code title-cased per hyphen part
        (``"noord-drenthe"`` → ``"Noord-Drenthe"``).
    """
    name = names.get(code) if names is not None else None
    if name:
        return name
    return "-".join(part.capitalize() for part in code.split("-"))


def region_labels(codes: Sequence[str], names: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Return the names of at most the first two regions, as they may be shown.

    Codes come from files that the command line accepts unchecked: a name that
    looks like contact details is left out, a long one is shortened.
    """
    out: list[str] = []
    for code in codes:
        label = clean_label(region_label(code, names))
        if label is not None and label not in out:
            out.append(label)
            if len(out) == _MAX_REGIONS:
                break
    return tuple(out)


def common_in_order(wanted: Sequence[str], offered: Sequence[str]) -> tuple[str, ...]:
    """Return the codes of ``wanted`` that ``offered`` has too.

    Parameters
    ----------
    wanted, offered : sequence of str
        The request's and the offer's codes.

    Returns
    -------
    tuple of str
        In the request's order.
    """
    have = set(offered)
    return tuple(c for c in wanted if c in have)


def sector_state(offer: Offer, request: Request) -> str:
    """Return how the profiles of an offer and a request relate.

    Parameters
    ----------
    offer, request : Offer, Request
        The pair.

    Returns
    -------
    str
        ``"match"``, ``"any"`` (the offer lists none), ``"none"`` (no overlap) or
        ``"neutral"`` (the request lists none).
    """
    if not request.sectors:
        return "neutral"
    if not offer.sectors:
        return "any"
    return "match" if common_in_order(request.sectors, offer.sectors) else "none"
