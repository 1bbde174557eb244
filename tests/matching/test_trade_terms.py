"""The trade vocabulary: the shipped list, finding concepts in text, and its use in ranking."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from matching import MatchIndex, rank
from matching.terms import (
    TERM_KINDS,
    TERMS_FILE,
    TradeTerm,
    TradeVocabulary,
    default_vocabulary,
    read_terms,
)
from tests.matching.test_rules import make_offer, make_request

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
MIN_TRADE_NDCG = 0.95


def test_shipped_list_is_well_formed_and_names_every_concept_in_both_languages() -> None:
    with open(TERMS_FILE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows
    assert set(rows[0]) == {"concept", "language", "term", "kind", "source"}
    assert all(r["source"] for r in rows), "every term says where it comes from"
    assert {r["kind"] for r in rows} <= set(TERM_KINDS)
    keys = [(r["concept"], r["language"], r["term"].casefold()) for r in rows]
    assert len(keys) == len(set(keys)), "no term twice in one concept and language"
    vocabulary = default_vocabulary()
    assert len(vocabulary) == len(read_terms()) == len(rows)
    for concept in vocabulary.concepts:
        langs = {t.language for t in vocabulary.terms if t.concept == concept and t.kind == "term"}
        assert langs == {"nl", "en"}, concept
    assert (TERMS_FILE.parent / "trade_terms.md").exists()


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("koudetechniek", "koudetechniek"),
        ("Our refrigeration engineers", "koudetechniek"),
        ("koelcellen en koudemiddelen", "koudetechniek"),
        ("aanleg van een glasvezelnetwerk", "glasvezel"),
        ("FTTH-aanleg", "glasvezel"),
        ("fibre to the home", "glasvezel"),
        ("dakdekken", "dakdekken"),
        ("flat roofs", "dakdekken"),
        ("electrotechniek", "elektrotechniek"),
        ("cv-ketels", "installatietechniek"),
        ("elektrische auto's", "automotive"),
    ],
)
def test_terms_misspellings_abbreviations_and_compounds_name_their_concept(
    text: str, concept: str
) -> None:
    assert concept in default_vocabulary().find(text)


@pytest.mark.parametrize(
    ("text", "not_concept"),
    [
        ("koudetechniek", "elektrotechniek"),  # not via "E-techniek" as a compound end
        ("elektrische auto's", "elektrotechniek"),
        ("werktuigbouw", "bouw"),
        ("servers draaiende houden", "verspanen"),
        ("klassen", "lassen"),
    ],
)
def test_generic_words_and_word_ends_do_not_name_a_concept(text: str, not_concept: str) -> None:
    assert not_concept not in default_vocabulary().find(text)


def test_labels_per_language_and_staff_terms_extend_the_list() -> None:
    vocabulary = default_vocabulary()
    assert vocabulary.label("koudetechniek", "nl") == "koudetechniek"
    assert vocabulary.label("koudetechniek", "en") == "refrigeration"
    assert "koudetechniek" not in vocabulary.find("koelmeester")
    extended = vocabulary.extended([TradeTerm("koudetechniek", "nl", "koelmeester", "jargon")])
    assert "koudetechniek" in extended.find("een koelmeester vertelt")
    assert len(extended) == len(vocabulary) + 1
    with pytest.raises(ValueError, match="kind"):
        TradeTerm("koudetechniek", "nl", "x", "slang")
    with pytest.raises(ValueError, match="language"):
        TradeTerm("koudetechniek", "de", "Kältetechnik")


def test_a_dutch_request_meets_an_english_offer_and_reasons_name_the_concept() -> None:
    request = make_request(sectors=["pie"], themes=["koudetechniek"])
    english = make_offer(
        "o-en",
        sectors=["pie"],
        themes=["refrigeration"],
        description="Our engineers show how commercial cooling systems work.",
    )
    other = make_offer("o-elek", sectors=["pie"], themes=["elektrotechniek"])
    matches = rank(request, [other, english])
    assert [m.offer_id for m in matches] == ["o-en", "o-elek"]
    assert "thema: koudetechniek" in matches[0].reasons
    english_reasons = MatchIndex([english]).query(request, lang="en")[0].reasons
    assert "theme: refrigeration" in english_reasons


def test_without_a_vocabulary_languages_meet_only_through_the_text() -> None:
    request = make_request(sectors=["pie"], themes=["dakdekken"])
    offer = make_offer("o-en", sectors=["pie"], themes=["roofing"])
    plain = MatchIndex([offer], vocabulary=TradeVocabulary([])).query(request)[0]
    full = MatchIndex([offer]).query(request)[0]
    assert full.parts["theme"] > plain.parts["theme"]
    assert full.score > plain.score


def _rank_file(kind: str) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "matching",
            "rank",
            "--offers",
            str(DATA / f"{kind}_offers.json"),
            "--requests",
            str(DATA / f"{kind}_requests.json"),
            "--top",
            "10",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_judged_trade_set_ranks_well() -> None:
    quality = pytest.importorskip("benchmarks.quality")
    document = _rank_file("trade")
    rankings = {
        r["request_id"]: [m["offer_id"] for m in r["matches"]] for r in document["rankings"]
    }

    def records(name: str) -> dict[str, dict[str, Any]]:
        path = DATA / f"trade_{name}.json"
        return {r["id"]: r for r in json.loads(path.read_text(encoding="utf-8"))}

    judgements = json.loads((DATA / "trade_judgements.json").read_text(encoding="utf-8"))
    result = quality.evaluate(records("requests"), records("offers"), judgements, rankings, k=5)
    assert result["violations"] == 0
    assert result["missing"] == 0
    assert result["mean_ndcg"] >= MIN_TRADE_NDCG
