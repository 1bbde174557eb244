"""`flask jobs run` on the demo region: every job runs once, and a second run changes nothing.

Only the CLI and the models are used, so that the test holds while services move around.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    Introduction,
    IntroductionState,
    MatchSuggestion,
    Organisation,
    OrganisationStatus,
    OrganisationType,
    OutboxEmail,
    Region,
    utcnow,
)

JOBS = (
    "introduction-reminders",
    "outcome-requests",
    "digest",
    "expire-intakes",
    "loan-reminders",
    "purge-mail-bodies",
)
_SUMMARY = re.compile(r"^([a-z-]+): (.*)$")


def _run_jobs(runner) -> dict[str, str]:
    """Invoke `flask jobs run`; return each job's one-line summary by job name."""
    result = runner.invoke(args=["jobs", "run"])
    assert result.exit_code == 0, result.output
    summaries = {}
    for line in result.output.splitlines():
        match = _SUMMARY.match(line)
        assert match, f"unexpected output line: {line!r}"
        summaries[match.group(1)] = match.group(2)
    return summaries


def _number(summary: str) -> int:
    return int(summary.split()[0])


def _outbox() -> Counter[str]:
    db.session.expire_all()
    return Counter(db.session.scalars(sa.select(OutboxEmail.template)))


def _seed(runner) -> dict[str, int]:
    """The demo region (with its suggestions) plus one piece of due work for each job."""
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    now = utcnow()
    first, second = db.session.scalars(
        sa.select(MatchSuggestion).order_by(MatchSuggestion.score.desc()).limit(2)
    ).all()
    # Approved more than a week ago and neither side answered: both get a reminder.
    silent = Introduction(
        request_id=first.request_id,
        offer_id=first.offer_id,
        state=IntroductionState.APPROVED,
        decided_at=now - timedelta(days=8),
    )
    # The agreed date has passed: both sides are asked what took place.
    done = Introduction(
        request_id=second.request_id,
        offer_id=second.offer_id,
        state=IntroductionState.AGREED,
        decided_at=now - timedelta(days=20),
        agreed_date=(now - timedelta(days=3)).date(),
    )
    region = db.session.scalars(sa.select(Region).limit(1)).one()
    # Signed up eight days ago and never confirmed: deleted.
    stale = Organisation(
        region_id=region.id,
        type=OrganisationType.COMPANY,
        status=OrganisationStatus.UNCONFIRMED,
        name="Nooit Bevestigd B.V.",
        created_at=now - timedelta(days=8),
    )
    # Signed up yesterday: kept.
    fresh = Organisation(
        region_id=region.id,
        type=OrganisationType.COMPANY,
        status=OrganisationStatus.UNCONFIRMED,
        name="Net Aangemeld B.V.",
        created_at=now - timedelta(days=1),
    )
    db.session.add_all([silent, done, stale, fresh])
    db.session.commit()
    return {"silent": silent.id, "done": done.id, "stale": stale.id, "fresh": fresh.id}


def test_jobs_run_does_all_due_work_once(runner):
    ids = _seed(runner)
    assert _outbox() == Counter()

    first = _run_jobs(runner)
    assert sorted(first) == sorted(JOBS)  # each registered job ran, whatever the order
    assert first["introduction-reminders"] == "1 reminded, 0 flagged for staff"
    assert first["outcome-requests"] == "2 outcome requests queued"
    assert first["expire-intakes"] == "1 unconfirmed intakes deleted."
    digests = _number(first["digest"])
    assert digests >= 1, first["digest"]
    assert _outbox() == Counter(
        {"introduction_reminder": 2, "outcome_request": 2, "digest": digests}
    )
    assert db.session.get(Introduction, ids["silent"]).reminder_sent_at is not None
    assert db.session.get(Organisation, ids["stale"]) is None
    assert db.session.get(Organisation, ids["fresh"]) is not None
    digest_rows = db.session.scalars(
        sa.select(OutboxEmail).where(OutboxEmail.template == "digest")
    ).all()
    assert len({row.to_addr for row in digest_rows}) == digests  # one per coordinator

    again = _run_jobs(runner)
    assert again == {
        "introduction-reminders": "0 reminded, 0 flagged for staff",
        "outcome-requests": "0 outcome requests queued",
        "digest": "0 digest emails queued",
        "expire-intakes": "0 unconfirmed intakes deleted.",
        "loan-reminders": "0 pickup, 0 due, 0 overdue reminders queued",
        "purge-mail-bodies": "emptied 0 email bodies older than 90 days",
    }
    assert _outbox() == Counter(
        {"introduction_reminder": 2, "outcome_request": 2, "digest": digests}
    )


def test_one_job_by_name_runs_only_that_job(runner):
    ids = _seed(runner)
    result = runner.invoke(args=["jobs", "expire-intakes"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "expire-intakes: 1 unconfirmed intakes deleted."
    assert db.session.get(Organisation, ids["stale"]) is None
    assert _outbox() == Counter()  # no other job ran


def test_jobs_lists_every_job(runner):
    result = runner.invoke(args=["jobs", "--help"])
    assert result.exit_code == 0, result.output
    for name in ("run", *JOBS):
        assert name in result.output
