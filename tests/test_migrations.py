"""Migrations: an empty database upgrades to head, shows no drift, and downgrades."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import TEST_DATABASE_URL

ROOT = Path(__file__).resolve().parent.parent


def _flask(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "FLASK_DEBUG": "1"}
    env.pop("FLASK_SQLALCHEMY_DATABASE_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "onderwijsplatform", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _round_trip(url: str) -> None:
    upgrade = _flask(url, "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    check = _flask(url, "db", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
    assert {"offer", "school_request", "introduction", "outbox_email", "outcome"} <= tables
    downgrade = _flask(url, "db", "downgrade", "base")
    assert downgrade.returncode == 0, downgrade.stderr
    with engine.connect() as connection:
        left = set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
    engine.dispose()
    assert left == set()


def test_sqlite_upgrade_check_downgrade(tmp_path):
    _round_trip(f"sqlite:///{tmp_path / 'fresh.sqlite'}")


@pytest.mark.postgres_only
def test_postgres_upgrade_check_downgrade():
    admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    name = f"migrations_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        url = sa.make_url(TEST_DATABASE_URL).set(database=name)
        _round_trip(url.render_as_string(hide_password=False))
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _pool(engine: sa.Engine) -> tuple[list[tuple], list[tuple]]:
    with engine.connect() as connection:
        members = connection.execute(
            sa.text(
                "SELECT m.organisation_id, m.region_id, m.status FROM organisation_region m "
                "JOIN organisation o ON o.id = m.organisation_id AND o.region_id = m.region_id "
                "ORDER BY 1, 2"
            )
        ).all()
        offers = connection.execute(
            sa.text(
                "SELECT a.offer_id, a.region_id, a.status FROM offer_region a "
                "JOIN offer f ON f.id = a.offer_id "
                "JOIN organisation o ON o.id = f.organisation_id AND o.region_id = a.region_id "
                "ORDER BY 1, 2"
            )
        ).all()
    return [tuple(r) for r in members], [tuple(r) for r in offers]


def test_single_region_data_moves_into_the_pool_without_loss(tmp_path):
    """A copy of the demo database, taken back to one region per organisation and forward."""
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    for args in (("db", "upgrade"), ("seed-demo",)):
        done = _flask(url, *args)
        assert done.returncode == 0, done.stderr
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        # Statuses the migration must carry over: one pending company, one rejected offer.
        connection.execute(
            sa.text("UPDATE organisation SET status = 'pending_review' WHERE id = 1")
        )
        connection.execute(
            sa.text("UPDATE organisation_region SET status = 'pending' WHERE organisation_id = 1")
        )
        connection.execute(sa.text("UPDATE offer SET status = 'rejected' WHERE id = 2"))
        connection.execute(
            sa.text("UPDATE offer_region SET status = 'rejected' WHERE offer_id = 2")
        )
        counts = {
            table: connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608 - fixed names
            for table in ("organisation", "offer", "school_request", "contact")
        }
    before = _pool(engine)
    assert len(before[0]) == counts["organisation"]
    down = _flask(url, "db", "downgrade", "0002_region_settings")
    assert down.returncode == 0, down.stderr
    up = _flask(url, "db", "upgrade")
    assert up.returncode == 0, up.stderr
    assert _pool(engine) == before
    with engine.connect() as connection:
        for table, count in counts.items():
            assert connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == count  # noqa: S608
    engine.dispose()
