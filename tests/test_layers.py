"""The layer rules of DESIGN.md, checked on every module's imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "onderwijsplatform"

FORBIDDEN = {
    "models": ("onderwijsplatform.services", "onderwijsplatform.views", "matching", "flask"),
    "services": ("onderwijsplatform.views", "onderwijsplatform.forms"),
    "views": ("matching",),
}
FORBIDDEN_NAMES = {"services": {("flask", "request"), ("flask", "session"), ("flask", "g")}}


def _imports(path: Path) -> list[tuple[str, str | None]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.extend((node.module, alias.name) for alias in node.names)
    return found


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).glob("*.py"))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports(layer):
    broken = []
    for path in _modules(layer):
        for module, name in _imports(path):
            if any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN[layer]):
                broken.append(f"{path.name}: {module}")
            if (module, name) in FORBIDDEN_NAMES.get(layer, set()):
                broken.append(f"{path.name}: {module}.{name}")
    assert broken == []


def test_services_never_commit():
    offenders = [
        path.name
        for path in _modules("services")
        if ".commit()" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_matching_is_framework_free_in_a_fresh_interpreter():
    code = (
        "import sys, matching, matching.vocabulary\n"
        "bad = [m for m in ('flask', 'sqlalchemy', 'wtforms', 'onderwijsplatform')"
        " if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
