"""Lending race over HTTP: many coordinators reserve the last sets of one kit at the same moment.

Runs gunicorn with several workers on PostgreSQL, signs in N coordinators of N schools,
then lets them all POST a reservation of overlapping dates at once (a barrier), for
several rounds. Prints how many sets were free, asked, granted and refused, and the
answer times; a set lent twice would show as granted > free.

Run: ``.venv/bin/python -m benchmarks.lending_race --database-url
postgresql+psycopg://postgres@127.0.0.1:5432/test_h4 [--coordinators 50 --workers 4]``.
The database is emptied (drop_all/create_all) first: use a scratch one. Asserts nothing.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, timedelta

import sqlalchemy as sa

from onderwijsplatform import create_app
from onderwijsplatform.extensions import db
from onderwijsplatform.identity.passwords import hash_password
from onderwijsplatform.models import LendingItem, Loan, LoanState, Role, utcnow
from tests.factories import make_region, make_school, make_user

PASSWORD = "een lange zin als wachtwoord"  # noqa: S105 - a scratch database's accounts
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SECRET = "lending-race-benchmark-secret-0123456789abcdef"  # noqa: S105


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _seed(url: str, coordinators: int, rounds: int) -> tuple[list[str], list[tuple[int, int]]]:
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "PASSWORD_HASH_METHOD": "pbkdf2"}
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        region = make_region(code="race", name="Race")
        emails = []
        hashed = hash_password(PASSWORD)
        for n in range(coordinators):
            user = make_user(Role.COORDINATOR, school=make_school(region, name=f"School {n}"))
            user.password_hash = hashed
            emails.append(user.email)
        items = []
        for n in range(rounds):
            stock = 5 + 3 * n
            item = LendingItem(
                region_id=region.id, title=f"Kist {n}", quantity=stock, max_sets_per_school=3
            )
            db.session.add(item)
            db.session.flush()
            items.append((item.id, stock))
        db.session.commit()
        db.engine.dispose()
    return emails, items


class Browser:
    """One coordinator's cookie jar over urllib (no extra dependency)."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), _NoRedirect()
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, data: dict[str, str]) -> int:
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, body, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def token(self, path: str) -> str:
        match = _TOKEN.search(self.get(path))
        assert match, path
        return match.group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _sign_in(base: str, email: str) -> Browser:
    browser = Browser(base)
    token = browser.token("/inloggen")
    status = browser.post("/inloggen", {"csrf_token": token, "email": email, "password": PASSWORD})
    assert status == 302, (email, status)
    return browser


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--coordinators", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        sys.exit("a PostgreSQL URL, please: SQLite serialises every writer anyway")

    emails, items = _seed(args.database_url, args.coordinators, args.rounds)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "FLASK_SECRET_KEY": SECRET,
        "FLASK_SESSION_COOKIE_SECURE": "false",
        "FLASK_RATELIMIT_ENABLED": "false",
        "FLASK_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(args.workers),
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/inloggen", timeout=2).close()  # noqa: S310 - http://127.0.0.1
                break
            except OSError:
                time.sleep(0.2)
        browsers = [_sign_in(base, email) for email in emails]
        start = date.fromisocalendar(utcnow().date().year + 1, 40, 1)
        periods = [
            (start, start + timedelta(days=18)),
            (start + timedelta(days=7), start + timedelta(days=25)),
        ]
        print(
            f"{args.coordinators} coordinators, gunicorn {args.workers} workers x 4 threads, "
            f"PostgreSQL; weeks 40-42 of {start.year}"
        )
        for item_id, stock in items:
            path = f"/school/uitlenen/{item_id}"
            tokens = [b.token(path) for b in browsers]
            barrier = threading.Barrier(len(browsers))
            statuses: list[int] = [0] * len(browsers)
            times: list[float] = [0.0] * len(browsers)

            def reserve(
                index: int,
                path: str = path,
                tokens: list[str] = tokens,
                barrier: threading.Barrier = barrier,
                statuses: list[int] = statuses,
                times: list[float] = times,
            ) -> None:
                sets = 1 + index % 2
                first, last = periods[index % 2]
                data = {
                    "csrf_token": tokens[index],
                    "sets": str(sets),
                    "starts_on": first.isoformat(),
                    "ends_on": last.isoformat(),
                    "handover": "pickup",
                    "note": "",
                }
                barrier.wait(timeout=120)
                began = time.perf_counter()
                statuses[index] = browsers[index].post(path, data)
                times[index] = time.perf_counter() - began

            threads = [threading.Thread(target=reserve, args=(i,)) for i in range(len(browsers))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            asked = sum(1 + i % 2 for i in range(len(browsers)))
            granted, loans = _granted(args.database_url, item_id)
            print(
                f"  stock {stock:>2}: asked {asked} sets in {len(browsers)} requests; "
                f"{statuses.count(302)} reservations granted ({granted} sets), "
                f"{statuses.count(422)} refused with a message, "
                f"other statuses {sorted(s for s in statuses if s not in (302, 422))}; "
                f"lent twice: {max(granted - stock, 0)}; loans in the database: {loans}; "
                f"answer time median {statistics.median(times) * 1000:.0f} ms, "
                f"max {max(times) * 1000:.0f} ms"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


def _granted(url: str, item_id: int) -> tuple[int, int]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        sets, count = connection.execute(
            sa.select(sa.func.coalesce(sa.func.sum(Loan.sets), 0), sa.func.count(Loan.id)).where(
                Loan.item_id == item_id, Loan.state == LoanState.APPROVED
            )
        ).one()
    engine.dispose()
    return int(sets), int(count)


if __name__ == "__main__":
    main()
