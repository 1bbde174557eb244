"""Outcomes: both sides report what took place; staff see and correct the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from onderwijsplatform import scope
from onderwijsplatform.extensions import db
from onderwijsplatform.identity import tokens
from onderwijsplatform.links import external_url
from onderwijsplatform.mail import outbox
from onderwijsplatform.models import (
    Introduction,
    IntroductionState,
    OutboxEmail,
    Outcome,
    Token,
    TokenPurpose,
    User,
)
from onderwijsplatform.models.outcomes import HOURS_MAX, MATERIALS_MAX_EUROS
from onderwijsplatform.services import audit
from onderwijsplatform.services.errors import NotFound, ValidationFailed
from onderwijsplatform.services.parties import company_contact, school_user

LINK_LIFETIME = timedelta(days=60)


@dataclass(frozen=True)
class Report:
    """What one side reports; the form has already bounded every number."""

    took_place: bool
    pupils: int | None
    hours: Decimal | None
    materials_cents: int | None
    rating: int | None
    comment: str | None


def side_of(token: Token) -> str:
    """ "company" for a link sent to a contact, "school" for one sent to a coordinator."""
    return "company" if token.contact_id else "school"


def open_link(raw: str, now: datetime) -> tuple[Token, Introduction]:
    """The token and introduction of an outcome link, without using it. Raises InvalidToken."""
    token = tokens.peek(TokenPurpose.OUTCOME, raw, now=now)
    intro = db.session.get(Introduction, token.introduction_id)
    if intro is None:
        raise NotFound()
    return token, intro


def _outcome_for(intro: Introduction) -> Outcome:
    outcome = db.session.scalar(sa.select(Outcome).where(Outcome.introduction_id == intro.id))
    if outcome is None:
        rate = intro.school_request.school.region.hour_rate_cents
        outcome = Outcome(introduction_id=intro.id, hour_rate_cents=rate)
        if intro.agreed_date:
            outcome.activity_date = datetime.combine(intro.agreed_date, time(), tzinfo=UTC)
        db.session.add(outcome)
        db.session.flush()
    return outcome


def _check_bounds(hours: Decimal | None, materials_cents: int | None) -> None:
    # The forms bound these already; this keeps every other caller within them too.
    if hours is not None and not 0 <= hours <= HOURS_MAX:
        raise ValidationFailed("hours", f"hours outside 0-{HOURS_MAX}")
    if materials_cents is not None and not 0 <= materials_cents <= MATERIALS_MAX_EUROS * 100:
        raise ValidationFailed("materials", f"materials outside 0-{MATERIALS_MAX_EUROS} euros")


def submit(raw: str, report: Report, now: datetime) -> Outcome:
    """Use the link once and store this side's report.

    Raises InvalidToken, NotFound, or ValidationFailed for figures beyond the hard bounds.
    """
    _check_bounds(report.hours, report.materials_cents)
    token, intro = open_link(raw, now)
    tokens.consume(TokenPurpose.OUTCOME, raw, now=now)
    outcome = _outcome_for(intro)
    side = side_of(token)
    outcome.took_place = report.took_place
    if report.pupils is not None and (side == "school" or outcome.pupils is None):
        outcome.pupils = report.pupils
    # The company's own figures count; the school's fill in only what is still missing.
    if report.hours is not None and (side == "company" or not outcome.company_confirmed_at):
        outcome.company_hours = report.hours
    if report.materials_cents is not None and (
        side == "company" or not outcome.company_confirmed_at
    ):
        outcome.materials_cents = report.materials_cents
    if side == "company":
        outcome.rating_company, outcome.comment_company = report.rating, report.comment
        outcome.company_confirmed_at = now
    else:
        outcome.rating_school, outcome.comment_school = report.rating, report.comment
        outcome.school_confirmed_at = now
    target = IntroductionState.COMPLETED if report.took_place else IntroductionState.CANCELLED
    if intro.can_become(target):
        intro.state = target
        intro.updated_at = now
    db.session.flush()
    audit.record(None, f"outcome.report.{side}", outcome, {"took_place": report.took_place}, now)
    return outcome


def correct(
    actor: User, outcome_id: int, values: dict, now: datetime, *, note: str = ""
) -> Outcome:
    """Staff change ledger figures; the old and new values go to the audit log."""
    _check_bounds(values.get("company_hours"), values.get("materials_cents"))
    outcome = get(actor, outcome_id)
    before = {key: _plain(getattr(outcome, key)) for key in values}
    for key, value in values.items():
        setattr(outcome, key, value)
    outcome.corrected_by_id = actor.id
    outcome.corrected_at = now
    db.session.flush()
    after = {key: _plain(getattr(outcome, key)) for key in values}
    audit.record(
        actor, "outcome.correct", outcome, {"before": before, "after": after, "note": note}, now
    )
    return outcome


def _plain(value):
    return str(value) if isinstance(value, Decimal | date) else value


def get(actor: User, outcome_id: int) -> Outcome:
    """One ledger entry in the actor's region; raises NotFound."""
    return scope.get(actor, Outcome, outcome_id)


def in_period(start: date | None, end: date | None) -> sa.ColumnElement[bool]:
    """Outcomes whose activity took place from ``start`` up to (not including) ``end``."""
    clauses = []
    if start is not None:
        clauses.append(Outcome.activity_date >= datetime.combine(start, time(), tzinfo=UTC))
    if end is not None:
        clauses.append(Outcome.activity_date < datetime.combine(end, time(), tzinfo=UTC))
    return sa.and_(sa.true(), *clauses)


def ledger(actor: User, start: date | None = None, end: date | None = None) -> list[Outcome]:
    """Ledger entries of the actor's region (admins: all), newest activity first."""
    query = (
        sa.select(Outcome)
        .where(scope.visible(actor, Outcome), in_period(start, end))
        .order_by(Outcome.activity_date.desc().nulls_last(), Outcome.id.desc())
    )
    return list(db.session.scalars(query))


def _sent(key: str) -> bool:
    return (
        db.session.scalar(sa.select(OutboxEmail.id).where(OutboxEmail.dedupe_key == key))
        is not None
    )


def request_reports(now: datetime) -> int:
    """After the agreed date, send each side one link to report the outcome (run twice: no-op)."""
    due = db.session.scalars(
        sa.select(Introduction)
        .where(Introduction.state == IntroductionState.AGREED)
        .where(Introduction.agreed_date < now.date())
        .order_by(Introduction.id)
    ).all()
    sent = 0
    for intro in due:
        for side, person in (("company", company_contact(intro)), ("school", school_user(intro))):
            key = f"outcome:{intro.id}:{side}"
            if person is None or _sent(key):
                continue
            issued = tokens.issue(
                TokenPurpose.OUTCOME,
                lifetime=LINK_LIFETIME,
                now=now,
                introduction_id=intro.id,
                contact_id=person.id if side == "company" else None,
                user_id=person.id if side == "school" else None,
            )
            context = {
                "intro": intro,
                "company": intro.offer.organisation,
                "school": intro.school_request.school,
                "link": external_url("outcomes.report", token=issued.raw),
            }
            if outbox.enqueue(
                "outcome_request",
                to=person.email,
                context=context,
                dedupe_key=key,
                language=person.language,
                now=now,
            ):
                sent += 1
    return sent
