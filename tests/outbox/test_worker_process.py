"""`flask outbox work` as a real process: SIGKILL mid-batch loses nothing; SIGTERM stops cleanly."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.models import OutboxEmail, OutboxStatus
from tests.outbox.conftest import Sink, queue_messages

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::ResourceWarning")]


def _worker(url: str, port: int, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "FLASK_SECRET_KEY": "worker-test-secret-key-0123456789abcdef",
        "FLASK_MAIL_SERVER": "127.0.0.1",
        "FLASK_MAIL_PORT": str(port),
        "FLASK_MAIL_TIMEOUT_SECONDS": "5",
        # A short lease so a restarted worker takes over a killed one's message quickly.
        "FLASK_OUTBOX_LEASE_SECONDS": "1",
        "FLASK_OUTBOX_BATCH_SIZE": "50",
    }
    for key in ("FLASK_DEBUG", "FLASK_SQLALCHEMY_DATABASE_URI", "FLASK_TESTING"):
        env.pop(key, None)
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "onderwijsplatform", "outbox", "work", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _statuses() -> dict[OutboxStatus, int]:
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(OutboxEmail.status, sa.func.count()).group_by(OutboxEmail.status)
    )
    result = dict(rows.all())
    db.session.commit()
    return result


def test_sigkill_mid_batch_repeatedly_loses_nothing(worker_app, committing_url, capsys):
    sink = Sink().start()
    kills = 6
    ids = queue_messages(300)
    db.session.remove()  # hold no connection or lock while the workers run
    rng = random.Random(20260305)
    try:
        for _ in range(kills):
            before = len(sink.received)
            worker = _worker(committing_url, sink.port, "--interval", "0.2")
            # Kill it after a random number of deliveries: sometimes between the relay's
            # 250 and the commit that records it, which is where duplicates come from.
            assert sink.wait_for(before + rng.randint(5, 40), timeout=30), worker.stderr
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
            worker.stdout.close()
            worker.stderr.close()
        final = _worker(committing_url, sink.port, "--interval", "0.2", "--until-empty")
        _out, err = final.communicate(timeout=60)
        assert final.returncode == 0, err
    finally:
        sink.stop()

    counts = sink.message_ids()
    expected = {f"<outbox-{i}@onderwijsplatform.example>" for i in ids}
    lost = expected - set(counts)
    duplicates = sum(n - 1 for n in counts.values())
    with capsys.disabled():
        print(
            f"\n[outbox SIGKILL] {kills} kills, {len(ids)} messages: lost {len(lost)}, "
            f"duplicates {duplicates}"
        )
    assert lost == set()
    assert set(counts) == expected
    # Each kill can resend at most the one message it interrupted.
    assert duplicates <= kills
    assert _statuses() == {OutboxStatus.SENT: len(ids)}


def test_sigterm_finishes_the_current_message_and_exits_cleanly(worker_app, committing_url):
    sink = Sink().start()
    sink.handler.data_delay = 0.05  # slow enough that SIGTERM lands mid-batch
    queue_messages(200)
    db.session.remove()
    try:
        worker = _worker(committing_url, sink.port, "--interval", "0.2")
        assert sink.wait_for(10, timeout=30)
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=20)
    finally:
        sink.stop()
    assert worker.returncode == 0, err
    assert "outbox worker stopped after" in out
    statuses = _statuses()
    # Stopped early: nothing is left half-done, and everything the sink got is recorded.
    assert OutboxStatus.SENDING not in statuses
    assert statuses[OutboxStatus.SENT] == len(sink.received) < 200
    assert statuses[OutboxStatus.PENDING] == 200 - len(sink.received)
