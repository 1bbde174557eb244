"""Link tokens: hashed, single use, expiring, newest-only."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from onderwijsplatform.identity import tokens
from onderwijsplatform.models import (
    Organisation,
    OrganisationType,
    Region,
    Token,
    TokenPurpose,
    utcnow,
)
from onderwijsplatform.services.errors import InvalidToken


@pytest.fixture
def organisation(db):
    region = Region(code="t", name="T")
    db.session.add(region)
    db.session.flush()
    org = Organisation(region_id=region.id, type=OrganisationType.COMPANY, name="Test BV")
    db.session.add(org)
    db.session.flush()
    return org


def test_only_the_hash_is_stored(db, organisation):
    issued = tokens.issue(
        TokenPurpose.SELF_SERVICE, lifetime=timedelta(hours=1), organisation_id=organisation.id
    )
    stored = db.session.scalars(sa.select(Token.token_hash)).all()
    assert issued.raw not in stored
    assert len(stored[0]) == 64


def test_peek_does_not_use_and_consume_works_once(db, organisation):
    issued = tokens.issue(
        TokenPurpose.SELF_SERVICE, lifetime=timedelta(hours=1), organisation_id=organisation.id
    )
    for _ in range(3):
        assert tokens.peek(TokenPurpose.SELF_SERVICE, issued.raw).id == issued.token.id
    tokens.consume(TokenPurpose.SELF_SERVICE, issued.raw)
    with pytest.raises(InvalidToken):
        tokens.consume(TokenPurpose.SELF_SERVICE, issued.raw)


def test_expired_and_wrong_purpose_are_refused(db, organisation):
    now = utcnow()
    issued = tokens.issue(
        TokenPurpose.INTAKE_CONFIRM,
        lifetime=timedelta(minutes=10),
        now=now,
        organisation_id=organisation.id,
    )
    with pytest.raises(InvalidToken):
        tokens.peek(TokenPurpose.SELF_SERVICE, issued.raw, now=now)
    with pytest.raises(InvalidToken) as caught:
        tokens.consume(TokenPurpose.INTAKE_CONFIRM, issued.raw, now=now + timedelta(minutes=11))
    assert caught.value.expired


def test_a_new_link_revokes_the_older_one(db, organisation):
    first = tokens.issue(
        TokenPurpose.SELF_SERVICE, lifetime=timedelta(hours=1), organisation_id=organisation.id
    )
    second = tokens.issue(
        TokenPurpose.SELF_SERVICE, lifetime=timedelta(hours=1), organisation_id=organisation.id
    )
    with pytest.raises(InvalidToken):
        tokens.peek(TokenPurpose.SELF_SERVICE, first.raw)
    assert tokens.peek(TokenPurpose.SELF_SERVICE, second.raw)


def test_garbage_is_refused(db):
    for raw in ("", "x", "a" * 500):
        with pytest.raises(InvalidToken):
            tokens.peek(TokenPurpose.SELF_SERVICE, raw)
