"""Region preference: which candidate offers are out of the request's region."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matching.types import Offer

__all__ = ["RegionIndex"]


class RegionIndex:
    """The offers' ``regions``, stored so that one request's check is vectorised.

    Region codes are free strings (the command line accepts any code), so they
    get positions of their own instead of bits of a vocabulary mask.

    Parameters
    ----------
    offers : sequence of Offer
        The offers, in the index's order.
    """

    def __init__(self, offers: Sequence[Offer]) -> None:
        self._has_regions = np.fromiter((bool(o.regions) for o in offers), bool, len(offers))
        self._any = bool(self._has_regions.any())
        members: dict[str, list[int]] = {}
        for i, o in enumerate(offers):
            for code in dict.fromkeys(o.regions):
                members.setdefault(code, []).append(i)
        self._members = {code: np.asarray(ids, dtype=np.int64) for code, ids in members.items()}

    def outside(self, region: str | None, idx: np.ndarray) -> np.ndarray:
        """Return which offers at positions ``idx`` are out of ``region``.

        Parameters
        ----------
        region : str or None
            The request's ``region``; None (or empty) when the request has no region key.
        idx : ndarray of int
            Positions of candidate offers.

        Returns
        -------
        ndarray of bool
            True where the request has a region, the offer lists regions, and
            the request's region is not among them. No key on either side: False.
        """
        if not region or not self._any:
            return np.zeros(len(idx), dtype=bool)
        inside = np.zeros(len(idx), dtype=bool)
        members = self._members.get(region)
        if members is not None and len(idx):
            # ``members`` is sorted: a binary search per candidate, no array of all offers.
            pos = np.minimum(np.searchsorted(members, idx), len(members) - 1)
            inside = members[pos] == idx
        outside: np.ndarray = self._has_regions[idx] & ~inside
        return outside
