"""MatchIndex: offers precomputed once as numpy arrays, then ranked per request quickly."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matching import features, reasons, rules
from matching.explain import explain
from matching.geo import haversine_km, haversine_km_many
from matching.terms import TradeVocabulary, default_vocabulary
from matching.text import TextSimilarity
from matching.types import Match, Offer, Request
from matching.vocabulary import KIND_CODES, SECTOR_CODES, TARGET_GROUP_CODES, WHERE_CODES
from matching.weights import PART_NAMES, Weights

__all__ = ["MatchIndex", "offer_text", "request_text"]

# Scores are compared after rounding to 4 decimals; a candidate whose best possible
# score is within this of the cut-off may still tie after rounding, so it is kept.
_ROUNDING_SLACK = 1e-4 + 1e-9
# Distances this close to a travel limit are recomputed with the scalar haversine, so
# the index and ``rules.passes`` agree to the last bit at the edge.
_EDGE_KM = 1e-6


def _check_codes(record_id: str, field: str, codes: Sequence[str], known: frozenset[str]) -> None:
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValueError(f"{record_id}: {field}: unknown code {unknown[0]!r}")


def offer_text(offer: Offer) -> str:
    """Return the text of an offer that the text similarity sees.

    Parameters
    ----------
    offer : Offer
        The offer.

    Returns
    -------
    str
        Its description followed by its themes.
    """
    return " ".join((offer.description, *offer.themes))


def request_text(request: Request) -> str:
    """Return the text of a request that the text similarity sees.

    Parameters
    ----------
    request : Request
        The request.

    Returns
    -------
    str
        Its description followed by its themes.
    """
    return " ".join((request.description, *request.themes))


@dataclass(frozen=True, slots=True)
class _Query:
    """A request encoded once: its bitmasks and its text vector."""

    request: Request
    kinds: int
    sectors: int
    group: int
    vector: np.ndarray | None


class MatchIndex:
    """Offers prepared once for fast ranking against any number of requests.

    At build time every offer becomes a row of numpy arrays (coordinates,
    kind/profile/target-group/where bitmasks, capacity, travel distance,
    availability ranges, fairness inputs) and the TF-IDF matrix of the offers'
    texts is fitted once. A query rules offers out with vectorised masks (kind
    and target group first, then capacity, period and distance), scores the
    survivors with vectorised parts, and computes the text similarity only for
    candidates that can still reach the top: no Python loop runs over offers.

    Parameters
    ----------
    offers : sequence of Offer
        The offers to rank; ids should be unique (ties are broken by id).
    weights : Weights, default Weights()
        Weights and constants of the score.
    text : TextSimilarity, optional
        An unfitted text model with custom parameters; fitted here on the offers.
    region_names : mapping of str to str, optional
        Region code to display name, for the reason of an out-of-region offer;
        a code not in it is shown title-cased ("noord-drenthe" → "Noord-Drenthe").
    vocabulary : TradeVocabulary, optional
        Trade concepts that make themes and descriptions meet across languages and
        jargon; default the shipped list (``default_vocabulary()``). The web app
        passes it extended with the terms staff added.

    Raises
    ------
    ValueError
        When an offer uses a code outside the vocabulary.

    Examples
    --------
    >>> index = MatchIndex(offers)                        # doctest: +SKIP
    >>> [m.offer_id for m in index.query(request, top=3)]  # doctest: +SKIP
    ['o7', 'o2', 'o9']
    """

    def __init__(
        self,
        offers: Sequence[Offer],
        weights: Weights | None = None,
        *,
        text: TextSimilarity | None = None,
        region_names: Mapping[str, str] | None = None,
        vocabulary: TradeVocabulary | None = None,
    ) -> None:
        self.weights = weights if weights is not None else Weights()
        self.vocabulary = vocabulary if vocabulary is not None else default_vocabulary()
        self.region_names: Mapping[str, str] = dict(region_names or {})
        self.offers: tuple[Offer, ...] = tuple(offers)
        n = len(self.offers)
        self._n = n
        ids = [o.id for o in self.offers]
        # Position of each offer in id order: the deterministic tie-breaker.
        order = sorted(range(n), key=ids.__getitem__)
        self._id_rank = np.empty(n, dtype=np.int64)
        self._id_rank[order] = np.arange(n)

        kinds = np.zeros(n, dtype=np.int64)
        sectors = np.zeros(n, dtype=np.int64)
        groups = np.zeros(n, dtype=np.int64)
        where = np.zeros(n, dtype=np.int64)
        lat = np.empty(n)
        lon = np.empty(n)
        travel = np.full(n, np.nan)
        capacity = np.full(n, np.nan)
        limit = np.full(n, np.nan)
        intros = np.zeros(n)
        range_offer: list[int] = []
        range_start: list[int] = []
        range_end: list[int] = []
        for i, o in enumerate(self.offers):
            _check_codes(o.id, "kinds", o.kinds, KIND_CODES)
            _check_codes(o.id, "sectors", o.sectors, SECTOR_CODES)
            _check_codes(o.id, "target_groups", o.target_groups, TARGET_GROUP_CODES)
            _check_codes(o.id, "where", o.where, WHERE_CODES)
            kinds[i] = rules.encode(o.kinds, rules.KIND_BITS)
            sectors[i] = rules.encode(o.sectors, rules.SECTOR_BITS)
            groups[i] = rules.encode(o.target_groups, rules.TARGET_GROUP_BITS)
            where[i] = rules.encode(rules.effective_where(o), rules.WHERE_BITS)
            lat[i], lon[i] = o.location.lat, o.location.lon
            if o.travel_km is not None:
                travel[i] = o.travel_km
            if o.capacity is not None:
                capacity[i] = o.capacity
            if o.yearly_limit is not None:
                limit[i] = o.yearly_limit
            intros[i] = o.introductions_this_year or 0
            for r in o.available:
                range_offer.append(i)
                range_start.append(r.start.toordinal())
                range_end.append(r.end.toordinal())
        self._kinds, self._sectors, self._groups, self._where = kinds, sectors, groups, where
        self._lat, self._lon = lat, lon
        self._travel, self._capacity = travel, capacity
        self._range_offer = np.asarray(range_offer, dtype=np.int64)
        self._range_start = np.asarray(range_start, dtype=np.int64)
        self._range_end = np.asarray(range_end, dtype=np.int64)
        self._has_available = np.bincount(self._range_offer, minlength=n)[:n] > 0
        self._fairness = features.fairness_score(limit, intros, self.weights)
        # Who the text says an offer is for, read only where no target groups are listed.
        self._hints = np.array(
            [0 if o.target_groups else features.audience_hints(o.description) for o in self.offers],
            dtype=np.int64,
        )

        self.regions = features.RegionIndex(self.offers)

        self.text_model = text if text is not None else TextSimilarity()
        texts = [self.vocabulary.tagged(offer_text(o)) for o in self.offers]
        self._matrix: sp.csr_matrix = self.text_model.fit_transform(texts)
        self.themes = features.ThemeMatcher(
            [o.themes for o in self.offers],
            self.text_model.words_,
            self.text_model.doc_words_,
            self.weights,
            find_concepts=self.vocabulary.find,
            offer_texts=[o.description for o in self.offers],
        )

    def __len__(self) -> int:
        return self._n

    # -- public ------------------------------------------------------------------------------

    def query(self, request: Request, top: int | None = 10, lang: str = "nl") -> list[Match]:
        """Rank the offers for one request.

        Parameters
        ----------
        request : Request
            The school's request.
        top : int or None, default 10
            Longest list returned; None returns every offer that passes the rules.
        lang : {"nl", "en"}, default "nl"
            Language of the reasons.

        Returns
        -------
        list of Match
            Sorted by score (rounded to 4 decimals), highest first, ties by offer id.
            Offers that break a hard rule are never listed.
        """
        return self.query_many([request], top=top, lang=lang)[0]

    def query_many(
        self, requests: Sequence[Request], top: int | None = 10, lang: str = "nl"
    ) -> list[list[Match]]:
        """Rank the offers for each request, in the order given (see ``query``).

        The request texts are vectorised together, which is cheaper than one by one.
        """
        if top is not None and top < 0:
            raise ValueError("top must be None or at least 0")
        queries = [self._encode(r) for r in requests]
        matrix = None
        if self._n and self.text_model.n_features_ and requests:
            texts = [self.vocabulary.tagged(request_text(r)) for r in requests]
            matrix = self.text_model.transform(texts)
            vector = np.zeros(matrix.shape[1], dtype=np.float32)
        results = []
        for i, q in enumerate(queries):
            # One dense query vector at a time: all of them at once would take
            # len(requests) x n_features floats.
            if matrix is not None:
                start, end = matrix.indptr[i], matrix.indptr[i + 1]
                vector[matrix.indices[start:end]] = matrix.data[start:end]
                q = _Query(q.request, q.kinds, q.sectors, q.group, vector)
            results.append(self._rank(q, top, lang))
            if matrix is not None:
                vector[matrix.indices[start:end]] = 0.0
        return results

    # -- internals ---------------------------------------------------------------------------

    @staticmethod
    def _encode(request: Request) -> _Query:
        _check_codes(request.id, "kinds", request.kinds, KIND_CODES)
        _check_codes(request.id, "sectors", request.sectors, SECTOR_CODES)
        _check_codes(request.id, "target_group", (request.target_group,), TARGET_GROUP_CODES)
        return _Query(
            request,
            rules.encode(request.kinds, rules.KIND_BITS),
            rules.encode(request.sectors, rules.SECTOR_BITS),
            rules.TARGET_GROUP_BITS[request.target_group],
            None,
        )

    def _candidates(self, q: _Query) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Offers that pass all hard rules: positions, distances and period overlap days."""
        r = q.request
        # Cheap integer masks first: most offers fall out before any float work.
        keep = rules.kind_mask(self._kinds, q.kinds)
        keep &= rules.target_group_mask(self._groups, q.group)
        idx = np.flatnonzero(keep)
        if r.group_size is not None:
            idx = idx[rules.capacity_mask(self._capacity[idx], r.group_size)]
        overlap = None
        if r.period is not None and len(self._range_offer):
            ok, overlap = rules.period_mask(
                self._range_offer,
                self._range_start,
                self._range_end,
                self._has_available,
                r.period,
            )
            idx = idx[ok[idx]]
        lat, lon = r.location.lat, r.location.lon
        dist = haversine_km_many(lat, lon, self._lat[idx], self._lon[idx])
        limits = [self._travel[idx]]
        if r.max_travel_km is not None:
            limits.append(np.full(len(idx), r.max_travel_km))
        edge = np.zeros(len(idx), dtype=bool)
        for lim in limits:
            edge |= np.abs(dist - lim) <= _EDGE_KM
        for k in np.flatnonzero(edge):
            i = idx[k]
            dist[k] = haversine_km(lat, lon, self._lat[i], self._lon[i])
        ok = rules.distance_mask(dist, self._where[idx], self._travel[idx], r.max_travel_km)
        idx, dist = idx[ok], dist[ok]
        days = np.full(len(idx), np.nan) if overlap is None else overlap[idx]
        return idx, dist, days

    def _rank(self, q: _Query, top: int | None, lang: str) -> list[Match]:
        if self._n == 0 or top == 0:
            return []
        r, w = q.request, self.weights
        idx, dist, days = self._candidates(q)
        if len(idx) == 0:
            return []

        common = self._kinds[idx] & q.kinds
        parts: dict[str, np.ndarray] = {}
        parts["kind"] = features.kind_score(self._kinds[idx], q.kinds)
        parts["sector"], mismatch = features.sector_score(self._sectors[idx], q.sectors, w)
        parts["audience"], other_audience = features.audience_score(
            self._groups[idx], self._hints[idx], q.group, w
        )
        parts["distance"], mode, far = features.distance_score(
            dist, self._where[idx], self._travel[idx], common, r.max_travel_km, w
        )
        theme = self.themes.score(r.themes, r.description, idx)
        parts["theme"] = theme.score if theme.informative else np.full(len(idx), w.neutral)
        period_days = None
        if r.period is not None:
            period_days = (r.period.end - r.period.start).days + 1
        parts["timing"] = features.timing_score(days, period_days, w)
        parts["capacity"] = features.capacity_score(self._capacity[idx], r.group_size, w)
        parts["fairness"] = self._fairness[idx]

        weight = w.parts()
        total = w.total()
        factor = np.where(mismatch, w.sector_mismatch_factor, 1.0)
        factor = factor * np.where(other_audience, w.audience_mismatch_factor, 1.0) * far
        outside = self.regions.outside(r.region, idx)
        factor = factor * np.where(outside, w.region_mismatch_factor, 1.0)
        base = sum(weight[name] * parts[name] for name in PART_NAMES if name != "text")
        base = np.asarray(base, dtype=np.float64)

        # Text similarity is the costly part: only for candidates that can still make
        # the top even with a perfect text score (an exact bound, so nothing is lost).
        sel = np.arange(len(idx))
        if top is not None and len(idx) > top and weight["text"] > 0:
            text_max = float(features.text_score(np.ones(1), w)[0])
            low = factor * base / total
            high = factor * (base + weight["text"] * text_max) / total
            cut = np.partition(low, len(low) - top)[len(low) - top]
            sel = np.flatnonzero(high >= cut - _ROUNDING_SLACK)
        cosine = np.zeros(len(sel))
        if q.vector is not None and len(sel):
            cosine = self._matrix[idx[sel]] @ q.vector
        text_part = features.text_score(cosine, w)
        score = factor[sel] * (base[sel] + weight["text"] * text_part) / total
        score = np.clip(np.round(score, 4), 0.0, 1.0)

        order = np.lexsort((self._id_rank[idx[sel]], -score))
        if top is not None:
            order = order[:top]

        matches = []
        for k in order:
            c = sel[k]
            i = int(idx[c])
            offer = self.offers[i]
            values = {name: float(parts[name][c]) for name in PART_NAMES if name != "text"}
            values["text"] = float(text_part[k])
            explanation = explain(
                w,
                offer,
                r,
                c,
                values,
                float(dist[c]),
                int(mode[c]),
                theme,
                bool(mismatch[c]),
                self.vocabulary,
            )
            if other_audience[c]:
                explanation = dataclasses.replace(explanation, audience="other")
            elif values["audience"] >= 1.0:
                explanation = dataclasses.replace(explanation, audience="match")
            if outside[c]:
                names = reasons.region_labels(offer.regions, self.region_names)
                explanation = dataclasses.replace(explanation, outside_region=names)
            matches.append(
                Match(
                    offer_id=offer.id,
                    score=float(score[k]),
                    reasons=reasons.reasons(explanation, lang),
                    parts={name: round(v, 4) for name, v in values.items()},
                    distance_km=round(float(dist[c]), 3),
                )
            )
        return matches
