"""rank(): the one-call way to rank offers for a request."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from matching.index import MatchIndex
from matching.types import Match, Offer, Request
from matching.weights import Weights

__all__ = ["rank"]


def rank(
    request: Request,
    offers: Iterable[Offer],
    *,
    top: int | None = 10,
    lang: str = "nl",
    weights: Weights | None = None,
    region_names: Mapping[str, str] | None = None,
) -> list[Match]:
    """Rank ``offers`` for ``request``: the best first, at most ``top``.

    Builds a ``MatchIndex`` over the offers and queries it once; to rank many
    requests against the same offers, build the index yourself and use
    ``MatchIndex.query_many``.

    Parameters
    ----------
    request : Request
        The school's request.
    offers : iterable of Offer
        The candidate offers.
    top : int or None, default 10
        Longest list returned; None returns every offer that passes the hard rules.
    lang : {"nl", "en"}, default "nl"
        Language of the reasons.
    weights : Weights, optional
        Weights and constants; ``Weights()`` when not given.
    region_names : mapping of str to str, optional
        Region code to display name for the out-of-region reason (see ``MatchIndex``).

    Returns
    -------
    list of Match
        Sorted by score rounded to 4 decimals (highest first), ties by offer id.
        Scores lie in [0, 1]; offers that break a hard rule are left out. The
        result does not depend on the order of ``offers``.
    """
    index = MatchIndex(list(offers), weights, region_names=region_names)
    return index.query(request, top=top, lang=lang)
