"""The matching package imports no web framework, database layer or app code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("flask", "sqlalchemy", "wtforms", "onderwijsplatform", "stop_words", "jinja2")

PROGRAM = """
import json, sys
import matching, matching.cli, matching.index, matching.ranking, matching.features
from matching import rank, MatchIndex, vocabulary
print(json.dumps(sorted(sys.modules)))
"""


def test_importing_matching_loads_no_framework() -> None:
    # A fresh interpreter: pytest itself has imported Flask through the app fixtures.
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    modules = json.loads(done.stdout)
    loaded = sorted({m.split(".")[0] for m in modules} & set(FORBIDDEN))
    assert loaded == []
