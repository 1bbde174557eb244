"""Times `flask import-data` / `export-data` on generated exchange files (prints, asserts nothing).

    .venv/bin/python benchmarks/import_export.py --offers 10000 --requests 1000
    TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \
        .venv/bin/python benchmarks/import_export.py --offers 10000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate_data import generate  # noqa: E402


def _flask(url: str, *args: str) -> tuple[float, str]:
    env = {**os.environ, "DATABASE_URL": url, "FLASK_DEBUG": "1"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "onderwijsplatform", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - started, (done.stdout + done.stderr).strip().splitlines()[-1]


def _database(workdir: Path) -> tuple[str, callable]:
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        return f"sqlite:///{workdir / 'bench.sqlite'}", lambda: None
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return sa.make_url(base).set(database=name).render_as_string(hide_password=False), drop


def _normalised(records: list[dict]) -> dict[str, dict]:
    """Records by id as the loader reads them: empty lists are absent keys, repeats dropped."""

    def value(v: object) -> object:
        return list(dict.fromkeys(v)) if isinstance(v, list) and v and isinstance(v[0], str) else v

    return {r["id"]: {k: value(v) for k, v in r.items() if v not in ([], None)} for r in records}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        offers, requests = generate(args.offers, args.requests, args.seed)
        (workdir / "offers.json").write_text(json.dumps(offers), encoding="utf-8")
        (workdir / "requests.json").write_text(json.dumps(requests), encoding="utf-8")
        url, drop = _database(workdir)
        try:
            _flask(url, "db", "upgrade")
            files = ["--offers", str(workdir / "offers.json")]
            files += ["--requests", str(workdir / "requests.json")]
            took, line = _flask(url, "import-data", *files)
            print(f"import {args.offers} offers + {args.requests} requests: {took:.1f} s  ({line})")
            took, line = _flask(url, "import-data", *files)
            print(f"re-import (all updates):                 {took:.1f} s  ({line})")
            out = ["--offers", str(workdir / "o.json"), "--requests", str(workdir / "r.json")]
            took, line = _flask(url, "export-data", *out)
            print(f"export:                                  {took:.1f} s  ({line})")
            same = all(
                _normalised(json.loads((workdir / a).read_text("utf-8")))
                == _normalised(json.loads((workdir / b).read_text("utf-8")))
                for a, b in (("offers.json", "o.json"), ("requests.json", "r.json"))
            )
            print(f"round trip equal (empty list = absent key, repeated theme once): {same}")
            print(f"database: {sa.make_url(url).get_backend_name()}")
        finally:
            drop()


if __name__ == "__main__":
    main()
