"""The trade vocabulary: Dutch and English terms, jargon and misspellings grouped into concepts."""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from matching.features.words import stem

__all__ = ["TERM_KINDS", "TradeTerm", "TradeVocabulary", "default_vocabulary", "read_terms"]

TERMS_FILE = Path(__file__).resolve().parent / "data" / "trade_terms.csv"

#: What a term is to its concept; every kind counts the same when matching.
TERM_KINDS: tuple[str, ...] = ("term", "jargon", "abbreviation", "misspelling")
LANGUAGES: tuple[str, ...] = ("nl", "en")

# A token keeps inner hyphens, apostrophes and slashes: "cv-ketels", "auto's", "MIG/MAG".
_TOKEN_RE = re.compile(r"[^\W_]+(?:[-'’/][^\W_]+)*")
_JOINERS_RE = re.compile(r"[-'’/]")
# A compound meets a term it starts with from this many letters ("glasvezelnetwerk" ->
# "glasvezel"), and a term it ends with from this many ("zorgdomotica" -> "domotica"):
# the head of a Dutch compound is its last part, so the end needs a longer term.
_PREFIX_MIN = 6
_SUFFIX_MIN = 7
_CONCEPT_RE = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True, slots=True)
class TradeTerm:
    """One way of naming a concept of the trade.

    ``concept`` is a stable id ("koudetechniek"); ``language`` is "nl" or "en";
    ``kind`` one of ``TERM_KINDS``; ``source`` says where the term comes from.
    """

    concept: str
    language: str
    term: str
    kind: str = "term"
    source: str = ""

    def __post_init__(self) -> None:
        if not _CONCEPT_RE.match(self.concept):
            raise ValueError(f"concept {self.concept!r}: lower-case letters, digits and _ only")
        if self.language not in LANGUAGES:
            raise ValueError(f"term {self.term!r}: language must be one of {LANGUAGES}")
        if self.kind not in TERM_KINDS:
            raise ValueError(f"term {self.term!r}: kind must be one of {TERM_KINDS}")
        if not _key(self.term):
            raise ValueError(f"concept {self.concept!r}: empty term")


@functools.lru_cache(maxsize=262144)
def _forms(token: str) -> tuple[str, ...]:
    """Comparable forms of one lower-case token: joined and, if it has joiners, its parts."""
    joined = stem(_JOINERS_RE.sub("", token))
    parts = [stem(p) for p in _JOINERS_RE.split(token) if len(p) >= 2]
    if len(parts) <= 1:
        return (joined,)
    return (joined, *parts)


def _key(text: str) -> tuple[str, ...]:
    """A term's comparable form: its tokens, joiners removed, lower case, stemmed."""
    return tuple(stem(_JOINERS_RE.sub("", t)) for t in _TOKEN_RE.findall(text.lower()))


def read_terms(path: Path | str = TERMS_FILE) -> list[TradeTerm]:
    """Read terms from a CSV file with the columns concept, language, term, kind, source.

    Raises
    ------
    ValueError
        When a row lacks a column or holds an unknown language or kind.
    """
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        out = []
        for n, row in enumerate(reader, start=2):
            try:
                out.append(
                    TradeTerm(
                        concept=row["concept"].strip(),
                        language=row["language"].strip(),
                        term=row["term"].strip(),
                        kind=(row.get("kind") or "term").strip(),
                        source=(row.get("source") or "").strip(),
                    )
                )
            except (KeyError, AttributeError, ValueError) as exc:
                raise ValueError(f"{path}: line {n}: {exc}") from None
    return out


class TradeVocabulary:
    """Concepts of the trade, found in free text whatever its language.

    A text names a concept when one of the concept's terms appears in it: the
    same word after light stemming ("koelcellen" ~ "koelcel"), with or without
    its hyphens ("cv-ketels" ~ "cv-ketel", "FTTH-aanleg" ~ "FttH"), as a run of
    words ("fibre to the home"), or as the first part (from 6 letters) or the
    last part (from 7 letters) of a compound ("glasvezelnetwerk" ~ "glasvezel").
    A term may belong to several concepts ("glasvezel" is also "telecom").

    The label of a concept in a language is its first term of kind ``term`` in
    that language (else its id), as listed.

    Parameters
    ----------
    terms : iterable of TradeTerm
        The vocabulary; later terms add to earlier ones.
    """

    def __init__(self, terms: Iterable[TradeTerm]) -> None:
        self.terms: tuple[TradeTerm, ...] = tuple(terms)
        self._single: dict[str, set[str]] = {}
        # Terms that may be part of a compound: not "E-techniek", whose joined form
        # "etechniek" would end "koudetechniek".
        self._parts: dict[str, set[str]] = {}
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._labels: dict[tuple[str, str], str] = {}
        for t in self.terms:
            key = _key(t.term)
            if len(key) == 1:
                self._single.setdefault(key[0], set()).add(t.concept)
                if not _JOINERS_RE.search(t.term):
                    self._parts.setdefault(key[0], set()).add(t.concept)
            else:
                self._phrases.setdefault(key[0], []).append((key, t.concept))
            if t.kind == "term":
                self._labels.setdefault((t.concept, t.language), t.term)
        self.concepts: tuple[str, ...] = tuple(sorted({t.concept for t in self.terms}))
        # Numbered, not named: a concept's name would share character n-grams with
        # ordinary words and blur the text similarity.
        self._codes = {c: f"tcx{i:03d}" for i, c in enumerate(self.concepts)}
        self._cache: dict[str, frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self.terms)

    def extended(self, terms: Iterable[TradeTerm]) -> TradeVocabulary:
        """Return a vocabulary with ``terms`` added (staff additions, for example)."""
        return TradeVocabulary((*self.terms, *terms))

    def label(self, concept: str, lang: str = "nl") -> str:
        """Return the concept's name in ``lang`` ("nl" or "en"), else in the other language."""
        other = "nl" if lang == "en" else "en"
        return (
            self._labels.get((concept, "en" if lang == "en" else "nl"))
            or self._labels.get((concept, other))
            or concept.replace("_", " ")
        )

    def _token_concepts(self, form: str) -> set[str]:
        found = set(self._single.get(form, ()))
        for size in range(_PREFIX_MIN, len(form)):
            found |= self._parts.get(form[:size], set())
        for size in range(_SUFFIX_MIN, len(form)):
            found |= self._parts.get(form[-size:], set())
        return found

    def find(self, text: str) -> frozenset[str]:
        """Return the ids of the concepts that ``text`` names (cached per text)."""
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        tokens = [_forms(t) for t in _TOKEN_RE.findall(text.lower())]
        found: set[str] = set()
        for i, forms in enumerate(tokens):
            for form in forms:
                found |= self._token_concepts(form)
                for key, concept in self._phrases.get(form, ()):
                    following = tokens[i + 1 : i + len(key)]
                    if len(following) == len(key) - 1 and all(
                        k in f for k, f in zip(key[1:], following, strict=True)
                    ):
                        found.add(concept)
        result = frozenset(found)
        if len(self._cache) < 65536:
            self._cache[text] = result
        return result

    def tagged(self, text: str) -> str:
        """Return ``text`` with a code word per concept it names (sorted), so that texts
        in different languages or jargon share a word ("koelcel", "refrigeration")."""
        concepts = sorted(self.find(text))
        return " ".join((text, *(self._codes[c] for c in concepts))) if concepts else text

    def find_all(self, texts: Sequence[str]) -> frozenset[str]:
        """Return the concepts named in any of ``texts``."""
        out: set[str] = set()
        for text in texts:
            out |= self.find(text)
        return frozenset(out)


@functools.lru_cache(maxsize=1)
def default_vocabulary() -> TradeVocabulary:
    """Return the vocabulary shipped in ``matching/data/trade_terms.csv`` (read once)."""
    return TradeVocabulary(read_terms())
