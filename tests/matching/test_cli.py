"""The command line: ``python -m matching rank`` on good and bad files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from matching.labels import label_for

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "tests" / "data" / "spec_examples"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "matching", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def rank(offers: Path, requests: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run("rank", "--offers", offers, "--requests", requests, *extra)


def test_ranks_the_spec_examples_in_the_spec_format() -> None:
    done = rank(EXAMPLES / "offers.json", EXAMPLES / "requests.json", "--top", "5")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    document = json.loads(done.stdout)
    assert list(document) == ["rankings"]
    assert [r["request_id"] for r in document["rankings"]] == ["r-dalton-1", "r-deklimop-2"]
    for ranking in document["rankings"]:
        assert list(ranking) == ["request_id", "matches"]
        for match in ranking["matches"]:
            assert list(match) == ["offer_id", "score", "label", "reasons"]
            assert 0 <= match["score"] <= 1
            assert match["label"] == label_for(match["score"])
            assert round(match["score"], 4) == match["score"]
            assert all(isinstance(r, str) and r for r in match["reasons"])
    dalton = document["rankings"][0]["matches"]
    assert dalton[0]["offer_id"] == "o-hofstede-1"
    assert dalton[0]["reasons"][:2] == ["soort: gastles", "profiel: pie"]


def test_top_limits_matches_and_english_reasons(tmp_path: Path) -> None:
    offers = json.loads((EXAMPLES / "offers.json").read_text(encoding="utf-8"))
    copies = [{**offers[0], "id": f"o{i}"} for i in range(5)]
    (tmp_path / "offers.json").write_text(json.dumps(copies), encoding="utf-8")
    done = rank(tmp_path / "offers.json", EXAMPLES / "requests.json", "--top", "2", "--lang", "en")
    assert done.returncode == 0, done.stderr
    matches = json.loads(done.stdout)["rankings"][0]["matches"]
    assert [m["offer_id"] for m in matches] == ["o0", "o1"]  # equal scores: ties by id
    assert matches[0]["reasons"][0] == "kind: guest lesson"


def test_help_works() -> None:
    done = run("rank", "--help")
    assert done.returncode == 0
    assert "--offers" in done.stdout
    assert "--top" in done.stdout
    assert run("--help").returncode == 0


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


BAD_OFFERS = {
    "not_json": ("{", None),
    "not_a_list": ('{"id": "o1"}', None),
    "missing_kinds": ('[{"id": "o1", "organisation": "X", "place": "Assen"}]', "o1"),
    "unknown_kind": (
        '[{"id": "o9", "organisation": "X", "kinds": ["gastlezing"], "place": "Assen"}]',
        "o9",
    ),
    "bad_latitude": (
        '[{"id": "o2", "organisation": "X", "kinds": ["gastles"], "lat": 91, "lon": 5}]',
        "o2",
    ),
    "nan": (
        '[{"id": "o3", "organisation": "X", "kinds": ["gastles"], "lat": NaN, "lon": 5}]',
        "o3",
    ),
    "deep": ("[" * 100_000 + "]" * 100_000, None),
    "latin1": (b'[{"id": "o4", "organisation": "Caf\xe9"}]', None),
}


@pytest.mark.parametrize("case", sorted(BAD_OFFERS))
def test_bad_input_gives_exit_2_and_one_line(tmp_path: Path, case: str) -> None:
    content, record = BAD_OFFERS[case]
    offers = write(tmp_path / "offers.json", content)
    done = rank(offers, EXAMPLES / "requests.json")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "offers.json" in lines[0]
    if record:
        assert record in lines[0]


def test_bad_request_names_file_record_and_field(tmp_path: Path) -> None:
    requests = write(
        tmp_path / "requests.json",
        '[{"id": "r7", "school": "S", "kinds": ["gastles"], "target_group": "vmbo", '
        '"place": "Assen"}]',
    )
    done = rank(EXAMPLES / "offers.json", requests)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert "requests.json" in line
    assert "r7" in line
    assert "target_group" in line


@pytest.mark.parametrize(
    "args",
    [
        ("rank", "--offers", "missing.json", "--requests", "missing.json"),
        ("rank", "--offers", "a.json"),
        ("rank", "--offers", "a", "--requests", "b", "--top", "zero"),
        ("rank", "--offers", "a", "--requests", "b", "--top", "0"),
        ("rank", "--offers", "a", "--requests", "b", "--lang", "fr"),
        ("unknown",),
        (),
    ],
)
def test_usage_errors_give_exit_2_and_one_line(args: tuple[str, ...]) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_a_directory_is_bad_input(tmp_path: Path) -> None:
    done = rank(tmp_path, EXAMPLES / "requests.json")
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
