"""Framework-free matching of companies' offers to schools' requests, with reasons."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from matching import vocabulary
from matching.labels import label_for
from matching.types import DateRange, Location, Match, Offer, Request

if TYPE_CHECKING:
    from matching.index import MatchIndex
    from matching.ranking import rank
    from matching.rules import passes
    from matching.text import TextSimilarity
    from matching.weights import Weights

#: Stored with every suggestion so that scores from different versions are not mixed.
ALGORITHM_VERSION = "2026.11-3"

__all__ = [
    "ALGORITHM_VERSION",
    "DateRange",
    "Location",
    "Match",
    "MatchIndex",
    "Offer",
    "Request",
    "TextSimilarity",
    "Weights",
    "label_for",
    "passes",
    "rank",
    "vocabulary",
]

# scikit-learn and scipy take a second to import; load them on first use so that
# `import matching` (the app's forms only need the vocabulary) stays instant.
_LAZY = {
    "MatchIndex": "matching.index",
    "rank": "matching.ranking",
    "passes": "matching.rules",
    "TextSimilarity": "matching.text",
    "Weights": "matching.weights",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'matching' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
