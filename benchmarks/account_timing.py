"""Account timing: does the answer to a link request take longer for an address with an account?

Serves the app on a local port (a real WSGI server, so work queued after the response
runs after the last byte, as under gunicorn) and times ``POST /inloglink`` and
``POST /wachtwoord-vergeten`` for a coordinator's address and an unknown one, interleaved,
50 of each by default. Prints the medians and their difference (target: under 5 ms).

Run: ``.venv/bin/python -m benchmarks.account_timing [--database-url URL] [--requests N]``
(default: a temporary SQLite file; a given database must be a scratch one: its tables
are dropped, created and dropped again). Asserts nothing.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import logging
import re
import statistics
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from werkzeug.serving import make_server

from onderwijsplatform import create_app
from onderwijsplatform.extensions import db
from onderwijsplatform.identity.passwords import hash_password
from onderwijsplatform.models import (
    Organisation,
    OrganisationType,
    OutboxEmail,
    Region,
    Role,
    User,
)

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
KNOWN = "coordinator@school.example"
UNKNOWN = "niemand@nergens.example"


@contextmanager
def _database(url: str | None) -> Iterator[str]:
    if url:
        yield url.replace("postgresql://", "postgresql+psycopg://", 1)
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'timing.sqlite'}"


@contextmanager
def serving(app, port: int) -> Iterator[str]:
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def seed(app) -> None:
    with app.app_context():
        db.drop_all()
        db.create_all()
        region = Region(code="bench", name="Benchregio")
        db.session.add(region)
        db.session.flush()
        school = Organisation(region_id=region.id, type=OrganisationType.SCHOOL, name="School")
        db.session.add(school)
        db.session.flush()
        db.session.add(
            User(
                email=KNOWN,
                name="Coördinator",
                role=Role.COORDINATOR,
                region_id=region.id,
                school_id=school.id,
                password_hash=hash_password("correct horse battery staple"),
            )
        )
        db.session.commit()


def measure(base: str, path: str, count: int, pause: float) -> dict[str, list[float]]:
    """Milliseconds per POST for each address, alternating known and unknown."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(base + path).read().decode()
    token = _TOKEN.search(page).group(1)
    times: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
    for n in range(2 * count + 2):
        email = (KNOWN, UNKNOWN)[n % 2] if (n // 2) % 2 == 0 else (UNKNOWN, KNOWN)[n % 2]
        body = urllib.parse.urlencode({"csrf_token": token, "email": email}).encode()
        started = time.perf_counter()
        with opener.open(base + path, data=body) as response:
            response.read()
            assert response.status == 200
        elapsed = (time.perf_counter() - started) * 1000
        if n >= 2:  # the first pair warms up caches and connections
            times[email].append(elapsed)
        time.sleep(pause)  # let the work after the answer finish: no overlap between requests
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--requests", type=int, default=50, help="per address and path")
    parser.add_argument("--port", type=int, default=5101)
    parser.add_argument("--pause", type=float, default=0.05, help="seconds between requests")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with _database(args.database_url) as url:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "benchmark-secret-key-0123456789abcdef",
                "SQLALCHEMY_DATABASE_URI": url,
                "RATELIMIT_ENABLED": False,
                "PASSWORD_HASH_METHOD": "scrypt",
            }
        )
        seed(app)
        with app.app_context():
            print(f"database: {db.engine.dialect.name}; {args.requests} requests per address")
        with serving(app, args.port) as base:
            for path in ("/wachtwoord-vergeten", "/inloglink"):
                times = measure(base, path, args.requests, args.pause)
                known = statistics.median(times[KNOWN])
                unknown = statistics.median(times[UNKNOWN])
                print(
                    f"POST {path}: median known {known:.1f} ms, unknown {unknown:.1f} ms, "
                    f"difference {known - unknown:+.1f} ms"
                )
        with app.app_context():
            queued = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail))
            # Each known request queues one email; the deferred work must not be lost.
            print(f"emails queued for the known address: {queued} of {2 * (args.requests + 1)}")
            db.drop_all()
            db.engine.dispose()


if __name__ == "__main__":
    main()
