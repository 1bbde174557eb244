"""Likely duplicate organisations at intake: same KvK number, same email domain, similar name."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

import sqlalchemy as sa
from rapidfuzz import fuzz, process

from onderwijsplatform.extensions import db
from onderwijsplatform.models import (
    Contact,
    DuplicateFlag,
    Organisation,
    OrganisationStatus,
    OrganisationType,
)

# Tuned in tests/intake/test_duplicates.py on true and false pairs of Dutch names.
NAME_THRESHOLD = 92.0
GENERIC_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.nl",
        "outlook.com",
        "outlook.nl",
        "live.nl",
        "live.com",
        "ziggo.nl",
        "kpnmail.nl",
        "kpnplanet.nl",
        "planet.nl",
        "hetnet.nl",
        "home.nl",
        "xs4all.nl",
        "icloud.com",
        "me.com",
        "yahoo.com",
        "yahoo.nl",
        "msn.com",
        "proton.me",
        "protonmail.com",
    }
)
# Legal forms and group words say nothing about which company it is. Dots are removed
# first, so "B.V." and "BV" meet.
_SUFFIXES = re.compile(r"\b(bv|nv|vof|cv|holding|groep|group|ba|eenmanszaak)\b")


def name_key(name: str) -> str:
    """A company name folded for comparison: lower case, no accents, no legal suffixes."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace(".", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = _SUFFIXES.sub(" ", text)
    return " ".join(text.split())


def name_score(a: str, b: str) -> float:
    """Similarity of two company names in [0, 100].

    Plain ``ratio`` on the folded names, so that a name that merely contains the other
    ("Jansen" within "Jansen Elektrotechniek") does not score 100 as token_set_ratio would.
    """
    key_a, key_b = name_key(a), name_key(b)
    if not key_a or not key_b:
        return 0.0
    return max(fuzz.ratio(key_a, key_b), fuzz.token_sort_ratio(key_a, key_b))


def email_domain(email: str) -> str | None:
    """The domain of a work address, or None for generic mail providers."""
    domain = (email or "").rpartition("@")[2].lower()
    if not domain or domain in GENERIC_DOMAINS:
        return None
    return domain


def _add(organisation: Organisation, other_id: int, reason: str, detail: str, score: float, now):
    exists = db.session.scalar(
        sa.select(DuplicateFlag.id).where(
            DuplicateFlag.organisation_id == organisation.id,
            DuplicateFlag.other_id == other_id,
            DuplicateFlag.reason == reason,
        )
    )
    if exists is not None:
        return None
    flag = DuplicateFlag(
        organisation_id=organisation.id,
        other_id=other_id,
        reason=reason,
        detail=detail[:300],
        score=score,
        created_at=now,
    )
    db.session.add(flag)
    return flag


def flag(organisation: Organisation, *, email: str, now: datetime) -> list[DuplicateFlag]:
    """Store a DuplicateFlag for every likely duplicate of ``organisation`` in any region.

    One company is one record in the pool: a company that signs up again in a second
    region is flagged against its record in the first, and staff merge the two.
    """
    others = db.session.execute(
        sa.select(Organisation.id, Organisation.name, Organisation.kvk_number).where(
            Organisation.id != organisation.id,
            Organisation.type != OrganisationType.SCHOOL,
            Organisation.status != OrganisationStatus.MERGED,
        )
    ).all()
    flags = []
    if organisation.kvk_number:
        for other in others:
            if other.kvk_number == organisation.kvk_number:
                flags.append(
                    _add(organisation, other.id, "kvk", f"KvK {other.kvk_number}", 1.0, now)
                )
    domain = email_domain(email)
    if domain:
        ids = {other.id for other in others}
        same_domain = db.session.scalars(
            sa.select(Contact.organisation_id).where(Contact.email.ilike(f"%@{domain}")).distinct()
        ).all()
        for other_id in same_domain:
            if other_id in ids:
                flags.append(_add(organisation, other_id, "email_domain", domain, 0.9, now))
    key = name_key(organisation.name)
    if key:
        names = {other.id: name_key(other.name) for other in others}
        for _match, score, other_id in process.extract(
            key,
            names,
            scorer=lambda a, b, **_: name_score(a, b),
            processor=None,
            score_cutoff=NAME_THRESHOLD,
            limit=20,
        ):
            other_name = next(o.name for o in others if o.id == other_id)
            flags.append(_add(organisation, other_id, "name", other_name, score / 100, now))
    db.session.flush()
    return [f for f in flags if f is not None]
