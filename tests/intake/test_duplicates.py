"""Duplicate flags at intake, and the name threshold tuned on true and false pairs."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from onderwijsplatform.models import DuplicateFlag, utcnow
from onderwijsplatform.services import duplicates
from tests.factories import make_company, make_contact, make_region, make_school

SAME = [
    ("Bosch Rexroth B.V.", "Bosch Rexroth BV"),
    ("Installatiebedrijf Hofstede B.V.", "Installatiebedrijf Hofstede"),
    ("Installatiebedrijf Hofstede", "Instalatiebedrijf Hofstede"),
    ("Jansen Installatietechniek Holding", "Jansen Installatietechniek"),
    ("Van der Berg Bouw V.O.F.", "Van der Berg Bouw"),
    ("Technolab Assen", "TechnoLab Assen B.V."),
    ("Groep Smit Elektro", "Smit Elektro"),
    ("Elektro Smit", "Smit Elektro"),
    ("Café de Brug", "Cafe de Brug"),
]
DIFFERENT = [
    ("Bosch B.V.", "Bosch Rexroth B.V."),
    ("Jansen Installatietechniek", "Jansen Elektrotechniek"),
    ("Bouwbedrijf De Vries", "Bouwbedrijf De Boer"),
    ("Technolab Assen", "Technolab Emmen"),
    ("Hofstede Installatie", "Hofstede Schilderwerken"),
    ("Smit Elektro", "Smit Transport"),
    ("Installatiebedrijf Jansen", "Installatiebedrijf Jonker"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_companies_score_above_threshold(a, b):
    assert duplicates.name_score(a, b) >= duplicates.NAME_THRESHOLD


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_companies_score_below_threshold(a, b):
    assert duplicates.name_score(a, b) < duplicates.NAME_THRESHOLD


def test_flags_kvk_domain_and_name(db):
    region = make_region()
    other = make_company(region, name="Installatiebedrijf Hofstede B.V.", kvk_number="40123587")
    make_contact(other, email="info@hofstede.nl")
    generic = make_company(region, name="Iets Anders")
    make_contact(generic, email="iemand@gmail.com")
    new = make_company(region, name="Installatiebedrijf Hofstede", kvk_number="40123587")
    flags = duplicates.flag(new, email="jan@hofstede.nl", now=utcnow())
    assert sorted(f.reason for f in flags) == ["email_domain", "kvk", "name"]
    assert all(f.other_id == other.id for f in flags)
    gmail = make_company(region, name="Totaal Anders")
    assert duplicates.flag(gmail, email="x@gmail.com", now=utcnow()) == []
    # Running it again adds nothing.
    assert duplicates.flag(new, email="jan@hofstede.nl", now=utcnow()) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DuplicateFlag)) == 3


def test_a_company_known_in_another_region_is_flagged(db):
    known = make_company(make_region(), name="Hofstede B.V.", kvk_number="40123587")
    new = make_company(make_region(), name="Hofstede B.V.", kvk_number="40123587")
    flags = duplicates.flag(new, email="a@hofstede.nl", now=utcnow())
    assert {(f.other_id, f.reason) for f in flags} == {(known.id, "kvk"), (known.id, "name")}


def test_schools_are_not_flagged(db):
    region = make_region()
    make_school(region, name="Hofstede B.V.")
    new = make_company(region, name="Hofstede B.V.")
    assert duplicates.flag(new, email="a@hofstede.nl", now=utcnow()) == []
