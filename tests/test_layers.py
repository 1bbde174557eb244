"""The layer rules of docs/architecture.md, read from every module's syntax tree."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "onderwijsplatform"
APP = "onderwijsplatform"

# The web edge of identity: the only modules outside views/ that read the session.
IDENTITY_WEB = {"identity/sessions.py", "identity/roles.py"}

# What each layer must not import (a module or a module's name, by prefix).
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "models": (
        f"{APP}.services",
        f"{APP}.mail",
        f"{APP}.identity",
        f"{APP}.views",
        f"{APP}.forms",
        f"{APP}.commands",
        f"{APP}.extensions",
        "matching",
        "flask",
    ),
    "services": (f"{APP}.views", f"{APP}.forms", f"{APP}.commands", f"{APP}.identity.sessions"),
    "mail": (
        f"{APP}.views",
        f"{APP}.forms",
        f"{APP}.commands",
        f"{APP}.identity",
        f"{APP}.services.",  # only services.errors, checked below
        "matching",
    ),
    "identity": (
        f"{APP}.views",
        f"{APP}.forms",
        f"{APP}.commands",
        f"{APP}.services.",  # only services.errors, checked below
        "matching",
    ),
    "forms": (
        f"{APP}.views",
        f"{APP}.commands",
        f"{APP}.extensions",
        f"{APP}.mail",
        f"{APP}.transaction",
        "matching",
        "sqlalchemy",
    ),
    "views": (f"{APP}.commands", f"{APP}.extensions.db", "matching", "sqlalchemy"),
    "commands": (f"{APP}.views", f"{APP}.forms"),
}
# services.errors is the shared vocabulary of refusals every layer may raise or catch;
# forms check codes and places against the vocabulary and the offline geocoder.
ALWAYS_ALLOWED = (f"{APP}.services.errors",)
ALLOWED: dict[str, tuple[str, ...]] = {"forms": ("matching.vocabulary", "matching.geo")}
REQUEST_STATE = {("flask", "request"), ("flask", "session"), ("flask", "g")}
NO_REQUEST_STATE = ("models", "services", "mail", "identity", "commands")
# Where commit() and rollback() may be called: the unit of work, the error page (which
# must roll back a failed request), and the mail worker, which commits per message.
COMMIT_ALLOWED = {"transaction.py", "errors.py", "commands/outbox.py"}


def _modules(root: Path = PACKAGE) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "translations" not in p.parts)


def _parts(path: Path, root: Path) -> tuple[str, ...]:
    return path.relative_to(root).parts


def _imports(path: Path, root: Path) -> list[tuple[str, str | None]]:
    """Every (module, name) the file imports, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join((APP, *_parts(path, root)[:-1]))
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.rsplit(".", node.level - 1)[0]
                module = f"{base}.{module}" if module else base
            found.extend((module, alias.name) for alias in node.names)
    return found


def _is_under(target: str, prefix: str) -> bool:
    if prefix.endswith("."):
        return target.startswith(prefix)
    return target == prefix or target.startswith(prefix + ".")


def layer_violations(root: Path = PACKAGE) -> list[str]:
    """Imports that break the layer table, as 'file: what is wrong'."""
    broken = []
    for path in _modules(root):
        parts = _parts(path, root)
        name, layer = "/".join(parts), parts[0] if len(parts) > 1 else "core"
        for module, imported in _imports(path, root):
            targets = [module] + ([f"{module}.{imported}"] if imported else [])
            allowed = ALWAYS_ALLOWED + ALLOWED.get(layer, ())
            if any(_is_under(t, ok) for t in targets for ok in allowed):
                continue
            for bad in FORBIDDEN.get(layer, ()):
                if any(_is_under(t, bad) for t in targets):
                    broken.append(f"{name}: imports {targets[-1]}")
                    break
            if (
                layer in NO_REQUEST_STATE
                and name not in IDENTITY_WEB
                and (module, imported) in REQUEST_STATE
            ):
                broken.append(f"{name}: reads flask.{imported}")
            if (
                layer == "views"
                and name != "views/__init__.py"
                and _is_under(module, f"{APP}.views")
            ):
                # A view module may import its own blueprint package, never another one.
                own = ".".join((APP, *parts[:-1]))
                if own == f"{APP}.views" or not _is_under(module, own):
                    broken.append(f"{name}: imports another views module {module}")
    return broken


def commit_calls(root: Path = PACKAGE) -> list[str]:
    """Calls of .commit() or .rollback() outside the places allowed to make them."""
    found = []
    for path in _modules(root):
        name = "/".join(_parts(path, root))
        if name in COMMIT_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("commit", "rollback")
            ):
                found.append(f"{name}:{node.lineno}: {node.func.attr}()")
    return found


def import_cycles(root: Path = PACKAGE) -> list[list[str]]:
    """Cycles among the package's modules (the app factory and CLI wiring left out)."""
    paths = {
        ".".join((APP, *path.relative_to(root).with_suffix("").parts)).removesuffix(
            ".__init__"
        ): path
        for path in _modules(root)
    }
    wiring = {APP, f"{APP}.cli"}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        edges = set()
        for target, imported in _imports(path, root):
            full = f"{target}.{imported}" if imported else target
            edges.add(full if full in paths else target)
        graph[module] = {e for e in edges if e in paths and e not in wiring and e != module}
    cycles: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"

    for module in sorted(graph):
        if module not in state and module not in wiring:
            visit(module, [])
    return cycles


def test_every_module_is_walked():
    walked = {"/".join(_parts(p, PACKAGE)) for p in _modules()}
    assert {"views/staff/mail.py", "views/auth/staff.py", "identity/sessions.py"} <= walked
    assert len(walked) > 80


def test_layer_imports():
    assert layer_violations() == []


def test_only_the_unit_of_work_commits():
    assert commit_calls() == []


def test_no_import_cycles():
    assert import_cycles() == []


@pytest.fixture(scope="module")
def copy_of_package(tmp_path_factory):
    """The package's sources, copied, so a test can plant a violation in them."""
    target = tmp_path_factory.mktemp("tree") / APP
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    return target


@pytest.mark.parametrize(
    ("where", "source", "expected"),
    [
        ("services/planted.py", "from flask import request\n", "reads flask.request"),
        ("services/planted.py", "from onderwijsplatform.forms import staff\n", "imports"),
        ("mail/planted.py", "from onderwijsplatform.services import intake\n", "imports"),
        ("identity/planted.py", "from flask import session\n", "reads flask.session"),
        ("views/staff/planted.py", "from onderwijsplatform.views import intake\n", "another"),
        ("views/planted.py", "import sqlalchemy as sa\n", "imports sqlalchemy"),
        ("models/planted.py", "from ..services import audit\n", "imports"),
        ("forms/planted.py", "from onderwijsplatform.extensions import db\n", "imports"),
        ("commands/planted.py", "from onderwijsplatform.views import public\n", "imports"),
    ],
)
def test_a_planted_import_violation_is_caught(copy_of_package, where, source, expected):
    planted = copy_of_package / where
    planted.write_text(source, encoding="utf-8")
    try:
        found = layer_violations(copy_of_package)
    finally:
        planted.unlink()
    assert len(found) == 1, found
    assert found[0].startswith(f"{where}: ")
    assert expected in found[0]


def test_a_planted_commit_and_cycle_are_caught(copy_of_package):
    planted = copy_of_package / "views" / "planted.py"
    planted.write_text("def f(db):\n    db.session.commit()\n", encoding="utf-8")
    cyclic = copy_of_package / "services" / "audit.py"
    original = cyclic.read_text(encoding="utf-8")
    cyclic.write_text(original + "\nfrom onderwijsplatform.services import moderation\n")
    try:
        commits, cycles = commit_calls(copy_of_package), import_cycles(copy_of_package)
    finally:
        planted.unlink()
        cyclic.write_text(original, encoding="utf-8")
    assert commits == ["views/planted.py:2: commit()"]
    assert any(
        "onderwijsplatform.services.audit" in c and "onderwijsplatform.services.moderation" in c
        for c in cycles
    )


def test_matching_imports_no_framework():
    offenders = []
    for path in sorted((ROOT / "matching").rglob("*.py")):
        for module, _ in _imports(path, ROOT / "matching"):
            top = module.split(".")[0]
            if top in {"flask", "sqlalchemy", "wtforms", "onderwijsplatform", "flask_babel"}:
                offenders.append(f"{path.relative_to(ROOT)}: {module}")
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


def test_no_module_over_400_lines():
    long = []
    for path in sorted([*PACKAGE.rglob("*.py"), *(ROOT / "matching").rglob("*.py")]):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > 400:
            long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert long == [], "split these along a natural seam"
