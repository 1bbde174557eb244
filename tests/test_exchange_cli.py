"""import-data / export-data: upsert by id, all or nothing, exact round trip, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from onderwijsplatform.models import Offer, OfferStatus, Organisation, SchoolRequest
from onderwijsplatform.services import demo

DATA = Path(__file__).parent / "data" / "spec_examples"

OFFER = {
    "id": "o-1",
    "organisation": "Smederij Kamps",
    "kinds": ["gastles"],
    "sectors": ["pie"],
    "postcode": "9401 AB",
    "description": "Lassen voor beginners.",
}
REQUEST = {
    "id": "r-1",
    "school": "Vakcollege Noord",
    "kinds": ["gastles"],
    "target_group": "vmbo_bovenbouw",
    "place": "Assen",
}


def _write(tmp_path: Path, name: str, content: object) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_spec_examples_import_and_round_trip(runner, tmp_path):
    result = runner.invoke(
        args=[
            "import-data",
            "--offers",
            str(DATA / "offers.json"),
            "--requests",
            str(DATA / "requests.json"),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "2 offers created" in result.output
    out_offers, out_requests = tmp_path / "o.json", tmp_path / "r.json"
    result = runner.invoke(
        args=["export-data", "--offers", str(out_offers), "--requests", str(out_requests)]
    )
    assert result.exit_code == 0, result.output
    for source, exported in (
        (DATA / "offers.json", out_offers),
        (DATA / "requests.json", out_requests),
    ):
        original = sorted(json.loads(source.read_text("utf-8")), key=lambda r: r["id"])
        records = json.loads(exported.read_text("utf-8"))
        # Records without region keys went to the default region, and say so on export.
        assert {json.dumps(r.pop("regions", None) or r.pop("region")) for r in records} <= {
            '["regio"]',
            '"regio"',
        }
        assert records == original


def test_either_option_alone_works(runner, db, tmp_path):
    result = runner.invoke(
        args=["import-data", "--requests", _write(tmp_path, "r.json", [REQUEST])]
    )
    assert result.exit_code == 0, result.output
    assert _count(db, SchoolRequest) == 1
    assert _count(db, Offer) == 0


def test_reimport_updates_instead_of_duplicating(runner, db, tmp_path):
    path = _write(tmp_path, "o.json", [OFFER])
    assert runner.invoke(args=["import-data", "--offers", path]).exit_code == 0
    changed = {**OFFER, "description": "Lassen en solderen."}
    result = runner.invoke(args=["import-data", "--offers", _write(tmp_path, "o2.json", [changed])])
    assert "1 offers updated" in result.output
    offers = db.session.scalars(sa.select(Offer)).all()
    assert len(offers) == 1
    assert offers[0].description == "Lassen en solderen."
    assert offers[0].status == OfferStatus.ACTIVE
    assert _count(db, Organisation) == 1


def test_app_made_rows_round_trip_by_their_exported_id(runner, db, tmp_path):
    demo.seed()
    db.session.execute(sa.update(Offer).values(external_id=None))
    db.session.flush()
    before = _count(db, Offer)
    out = tmp_path / "o.json"
    assert runner.invoke(args=["export-data", "--offers", str(out)]).exit_code == 0
    records = json.loads(out.read_text("utf-8"))
    assert all(r["id"].startswith("o-") for r in records)
    result = runner.invoke(args=["import-data", "--offers", str(out)])
    assert result.exit_code == 0, result.output
    assert _count(db, Offer) == before


def test_demo_region_round_trips(runner, db, tmp_path):
    demo.seed()
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    runner.invoke(args=["export-data", "--offers", str(first)])
    assert runner.invoke(args=["import-data", "--offers", str(first)]).exit_code == 0
    runner.invoke(args=["export-data", "--offers", str(second)])
    assert first.read_text("utf-8") == second.read_text("utf-8")
    assert len(json.loads(first.read_text("utf-8"))) >= 60


BASE = '"id": "o-1", "organisation": "A", "kinds": ["gastles"]'
AT_ASSEN = BASE + ', "place": "Assen"'


def _one(extra: str, base: str = AT_ASSEN) -> str:
    return "[{" + base + extra + "}]"


BAD_FILES = {
    "nan": _one(', "capacity": NaN'),
    "infinity": _one(', "travel_km": Infinity'),
    "duplicate key": _one(', "id": "o-2"'),
    "huge integer": _one(', "capacity": ' + "9" * 5000),
    "deep nesting": "[" * 100_000 + "]" * 100_000,
    "invalid utf-8": b'[{"id": "o-1", "organisation": "\xff\xfe", "kinds": ["gastles"]}]',
    "object not array": '{"id": "o-1"}',
    "lat 91": _one(', "lat": 91, "lon": 6', BASE),
    "lon 181": _one(', "lat": 53, "lon": 181', BASE),
    "negative travel_km": _one(', "travel_km": -5'),
    "duplicate id": json.dumps([OFFER, OFFER]),
    "missing kinds": '[{"id": "o-1", "organisation": "A", "place": "Assen"}]',
    "unknown code": _one(', "sectors": ["techniek"]'),
    "label instead of code": _one(', "where": ["Online"]'),
    "unknown place": _one(', "place": "Atlantis"', BASE),
    "bad postcode": _one(', "postcode": "0123 AB"', BASE),
    "bad date": _one(', "available": [{"from": "2026-02-30", "to": "2026-03-01"}]'),
    "empty file": "",
    "too long name": json.dumps([{**OFFER, "organisation": "A" * 201}]),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_offer_file_is_refused_with_one_line_and_nothing_written(runner, db, tmp_path, case):
    good = _write(tmp_path, "requests.json", [REQUEST])
    bad = _write(tmp_path, "offers.json", BAD_FILES[case])
    result = runner.invoke(args=["import-data", "--requests", good, "--offers", bad])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "offers.json" in lines[0]
    assert "Traceback" not in result.output
    assert _count(db, Offer) == 0
    assert _count(db, SchoolRequest) == 0
    assert _count(db, Organisation) == 0


def test_error_names_record_and_field(runner, tmp_path):
    bad = [OFFER, {**OFFER, "id": "o-2", "sectors": ["PIE"]}]
    result = runner.invoke(args=["import-data", "--offers", _write(tmp_path, "offers.json", bad)])
    assert result.exit_code != 0
    assert '"o-2"' in result.output
    assert '"sectors"' in result.output


def test_a_bad_second_file_writes_nothing_from_the_first(runner, db, tmp_path):
    offers = _write(tmp_path, "offers.json", [OFFER])
    requests = _write(tmp_path, "requests.json", [{**REQUEST, "target_group": "kleuters"}])
    result = runner.invoke(args=["import-data", "--offers", offers, "--requests", requests])
    assert result.exit_code != 0
    assert "requests.json" in result.output
    assert _count(db, Offer) == 0


def test_missing_file_and_no_options(runner, tmp_path):
    result = runner.invoke(args=["import-data", "--offers", str(tmp_path / "nope.json")])
    assert result.exit_code != 0
    assert "nope.json" in result.output
    result = runner.invoke(args=["import-data"])
    assert result.exit_code != 0
    assert "--offers" in result.output


def test_records_go_to_the_regions_they_name(runner, db, tmp_path):
    from onderwijsplatform.models import Approval, Region

    for code in ("assen", "twente"):
        db.session.add(Region(code=code, name=f"STO {code.title()}"))
    db.session.flush()
    offers = [
        {**OFFER, "regions": ["assen", "twente"]},
        {**OFFER, "id": "o-2", "regions": ["twente"]},
    ]
    requests = [{**REQUEST, "region": "twente"}]
    result = runner.invoke(
        args=[
            "import-data",
            "--region",
            "assen",
            "--offers",
            _write(tmp_path, "o.json", offers),
            "--requests",
            _write(tmp_path, "r.json", requests),
        ]
    )
    assert result.exit_code == 0, result.output
    # One company record, serving both regions, approved in both.
    company = db.session.scalar(
        sa.select(Organisation).where(Organisation.name == "Smederij Kamps")
    )
    assert sorted((m.region.code, m.status) for m in company.memberships) == [
        ("assen", Approval.APPROVED),
        ("twente", Approval.APPROVED),
    ]
    both = db.session.scalar(sa.select(Offer).where(Offer.external_id == "o-1"))
    assert sorted(r.region.code for r in both.availability) == ["assen", "twente"]
    school = db.session.scalar(
        sa.select(Organisation).where(Organisation.name == REQUEST["school"])
    )
    assert school.region.code == "twente"
    out = tmp_path / "out.json"
    assert runner.invoke(args=["export-data", "--offers", str(out)]).exit_code == 0
    exported = {r["id"]: r["regions"] for r in json.loads(out.read_text("utf-8"))}
    assert exported == {"o-1": ["assen", "twente"], "o-2": ["twente"]}


def test_an_unknown_region_code_names_the_record_and_field(runner, db, tmp_path):
    path = _write(tmp_path, "o.json", [{**OFFER, "regions": ["nergens"]}])
    result = runner.invoke(args=["import-data", "--offers", path])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "o-1" in lines[0]
    assert "regions" in lines[0]
    assert "nergens" in lines[0]
    assert "Traceback" not in result.output
    assert _count(db, Offer) == 0
    assert _count(db, Organisation) == 0
