"""Seeded generator of realistic exchange-format offers and requests for benchmarks."""

from __future__ import annotations

import argparse
import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path

PC4_TABLE = Path(__file__).resolve().parents[1] / "matching" / "data" / "nl_pc4.csv"

KINDS = {
    "gastles": 30,
    "bedrijfsbezoek": 25,
    "stage_leerling": 12,
    "stage_docent": 5,
    "materialen": 6,
    "doe_activiteit": 10,
    "hybride_docent": 3,
    "lesmodule": 6,
    "kennisdeling": 5,
}
TARGET_GROUPS = ["po", "vmbo_onderbouw", "vmbo_bovenbouw", "mbo", "havo_vwo", "docenten"]

# Per profile: organisation words, themes (with the spelling variants people use)
# and phrases for descriptions.
SECTORS: dict[str, dict[str, list[str]]] = {
    "pie": {
        "org": ["Installatiebedrijf", "Elektrotechniek", "Metaalbewerking", "Energie"],
        "themes": [
            "warmtepompen",
            "zonnepanelen",
            "energietransitie",
            "lassen",
            "elektrotechniek",
            "installatietechniek",
            "CNC-frezen",
            "3D-printen",
            "domotica",
            "laadpalen",
        ],
        "phrases": [
            "onze monteurs laten zien hoe een warmtepomp werkt",
            "leerlingen maken zelf een elektrische schakeling",
            "we tonen de werkplaats waar we lassen en frezen",
            "uitleg over zonnepanelen en de energietransitie",
            "een dag meelopen met een installateur",
        ],
    },
    "bwi": {
        "org": ["Bouwbedrijf", "Timmerfabriek", "Aannemersbedrijf", "Interieurbouw"],
        "themes": [
            "houtbewerking",
            "metselen",
            "duurzaam bouwen",
            "BIM",
            "timmeren",
            "schilderen",
            "circulair bouwen",
            "interieurbouw",
        ],
        "phrases": [
            "rondleiding op de bouwplaats van een nieuwbouwwijk",
            "leerlingen timmeren zelf een vogelhuisje",
            "hoe bouw je een energieneutraal huis",
            "werken met hout in onze timmerfabriek",
        ],
    },
    "mvi": {
        "org": ["Softwarebedrijf", "Mediabureau", "ICT-dienstverlener", "Ontwerpstudio"],
        "themes": [
            "programmeren",
            "robotica",
            "cybersecurity",
            "webdesign",
            "gameontwikkeling",
            "3D printing",
            "animatie",
            "netwerken",
        ],
        "phrases": [
            "leerlingen programmeren een robot",
            "workshop veilig internetten en cybersecurity",
            "we ontwerpen samen een website",
            "maak kennis met het vak van game developer",
        ],
    },
    "mt": {
        "org": ["Autobedrijf", "Transportbedrijf", "Fietsenmaker", "Garage"],
        "themes": [
            "elektrisch rijden",
            "motorentechniek",
            "logistiek",
            "banden wisselen",
            "carrosserie",
            "fietstechniek",
        ],
        "phrases": [
            "een kijkje in de werkplaats van onze garage",
            "hoe werkt een elektrische auto",
            "rondleiding in het distributiecentrum",
        ],
    },
    "mat": {
        "org": ["Scheepswerf", "Maritiem Bedrijf", "Havenbedrijf"],
        "themes": ["scheepsbouw", "havenlogistiek", "maritieme techniek", "lassen"],
        "phrases": [
            "bezoek aan de scheepswerf en de haven",
            "werken aan boord van een schip",
        ],
    },
    "groen": {
        "org": ["Hoveniersbedrijf", "Kwekerij", "Agrarisch Bedrijf", "Tuincentrum"],
        "themes": ["tuinaanleg", "duurzame landbouw", "bloemsierkunst", "dierverzorging"],
        "phrases": [
            "leerlingen leggen samen een tuin aan",
            "rondleiding op de boerderij met melkrobot",
        ],
    },
    "zw": {
        "org": ["Zorggroep", "Thuiszorg", "Revalidatiecentrum"],
        "themes": ["zorgtechnologie", "domotica", "EHBO", "welzijn"],
        "phrases": [
            "hoe techniek de zorg helpt met slimme sensoren",
            "maak kennis met zorgrobots",
        ],
    },
    "hbr": {
        "org": ["Bakkerij", "Restaurant", "Hotel"],
        "themes": ["bakken", "koken", "gastvrijheid", "voedseltechnologie"],
        "phrases": ["bakken in onze bakkerij", "kijk achter de schermen van de keuken"],
    },
    "eo": {
        "org": ["Adviesbureau", "Accountantskantoor", "Webwinkel"],
        "themes": ["ondernemen", "marketing", "administratie"],
        "phrases": ["leerlingen starten een eigen minibedrijf"],
    },
    "dp": {
        "org": ["Productiebedrijf", "Verpakkingsbedrijf", "Drukkerij"],
        "themes": ["productontwerp", "procestechniek", "3D printer", "verpakken"],
        "phrases": ["van idee tot product in onze productiehal"],
    },
}
SECTOR_WEIGHTS = {
    "pie": 30,
    "bwi": 18,
    "mvi": 14,
    "mt": 10,
    "mat": 4,
    "groen": 6,
    "zw": 6,
    "hbr": 4,
    "eo": 3,
    "dp": 5,
}
SURNAMES = [
    "Jansen",
    "de Vries",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "de Boer",
    "Hofstede",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Kok",
    "Veenstra",
]
FILLER = [
    "voor leerlingen die willen ontdekken wat techniek is",
    "samen met onze vakmensen",
    "in overleg ook op een andere dag",
    "we nemen materiaal en gereedschap mee",
    "geschikt voor kleine en grote groepen",
    "de leerlingen gaan zelf aan de slag",
]
SCHOOL_TYPES = ["vmbo", "Basisschool", "College", "Scholengemeenschap", "mbo"]
_SYLLABLE_TEXT = (
    "aan af be bo da de den der di do ee en er ge gen heid hout in ing ker king kracht "
    "la land le lei lijk lo ma me meer men na ne no on oo op pen per plaats ra re ri ro "
    "sa schap sche se sel so ste stel ta te tech ten ter ti to tro uit va ve ver vo wa "
    "we werk wi zaam ze zi"
)
SYLLABLES = _SYLLABLE_TEXT.split()


def _pseudo_vocabulary(rng: random.Random, size: int = 20000) -> list[str]:
    # Free text of real offers has a long tail of words; a Zipf draw over pseudo-words
    # gives the vectorisers a realistic vocabulary size without shipping a corpus.
    words = {"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(size * 2)}
    vocab = sorted(words)[:size]
    rng.shuffle(vocab)
    return vocab


def _pc4_points() -> list[tuple[str, str, float, float]]:
    with PC4_TABLE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [(r["pc4"], r["place"], float(r["lat"]), float(r["lon"])) for r in rows]


def _weighted(rng: random.Random, table: dict[str, int], k: int) -> list[str]:
    chosen: list[str] = []
    names, weights = list(table), list(table.values())
    while len(chosen) < k:
        pick = rng.choices(names, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def _location(rng: random.Random, points: list, record: dict) -> None:
    pc4, place, lat, lon = rng.choice(points)
    style = rng.random()
    if style < 0.5:
        record["postcode"] = pc4 if rng.random() < 0.5 else f"{pc4} {rng.choice('ABCDEFGH')}B"
    elif style < 0.85:
        # Jitter around the postcode centroid, as a geocoded address would be.
        record["lat"] = round(lat + rng.uniform(-0.01, 0.01), 5)
        record["lon"] = round(lon + rng.uniform(-0.015, 0.015), 5)
    else:
        record["postcode"] = pc4
        record["place"] = place


def _period(rng: random.Random) -> dict[str, str]:
    start = date(2026, 9, 1) + timedelta(days=rng.randrange(0, 300))
    end = start + timedelta(days=rng.randrange(7, 90))
    return {"from": start.isoformat(), "to": end.isoformat()}


def _description(
    rng: random.Random, sectors: list[str], themes: list[str], vocab: list[str]
) -> str:
    parts = []
    for sector in sectors or [_weighted(rng, SECTOR_WEIGHTS, 1)[0]]:
        parts.append(rng.choice(SECTORS[sector]["phrases"]))
    if themes and rng.random() < 0.6:
        parts.append("met aandacht voor " + rng.choice(themes).lower())
    parts.append(rng.choice(FILLER))
    # Zipf-like tail: low ranks are frequent, most words rare.
    tail = [vocab[min(len(vocab) - 1, int(rng.paretovariate(0.6)) - 1)] for _ in range(6)]
    parts.append(" ".join(tail))
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + "."


def make_offer(rng: random.Random, points: list, vocab: list[str], i: int) -> dict:
    """Return one offer record."""
    sectors = _weighted(rng, SECTOR_WEIGHTS, rng.choice([1, 1, 1, 2]))
    if rng.random() < 0.1:
        sectors = []
    pool = [t for s in sectors or ["pie"] for t in SECTORS[s]["themes"]]
    themes = rng.sample(pool, min(len(pool), rng.randint(0, 4)))
    main = sectors[0] if sectors else "pie"
    offer: dict = {
        "id": f"o{i:06d}",
        "organisation": f"{rng.choice(SECTORS[main]['org'])} {rng.choice(SURNAMES)} B.V.",
        "kinds": _weighted(rng, KINDS, rng.choice([1, 1, 2, 2, 3])),
        "sectors": sectors,
        "themes": themes,
        "target_groups": sorted(rng.sample(TARGET_GROUPS, rng.choice([0, 1, 2, 2, 3]))),
        "description": _description(rng, sectors, themes, vocab),
    }
    where = rng.random()
    if where < 0.45:
        offer["where"] = ["bij_bedrijf"]
    elif where < 0.75:
        offer["where"] = ["op_school", "bij_bedrijf"]
    elif where < 0.9:
        offer["where"] = ["op_school"]
    elif where < 0.97:
        offer["where"] = ["online", "op_school"]
    # else: no "where" at all, which counts as bij_bedrijf
    if rng.random() < 0.7:
        offer["travel_km"] = rng.choice([10, 15, 20, 30, 40, 50, 75])
    if rng.random() < 0.6:
        offer["capacity"] = rng.choice([8, 12, 15, 20, 25, 30, 35])
    if rng.random() < 0.5:
        offer["available"] = [_period(rng) for _ in range(rng.randint(1, 2))]
    _location(rng, points, offer)
    return offer


def make_request(rng: random.Random, points: list, vocab: list[str], i: int) -> dict:
    """Return one request record."""
    sectors = _weighted(rng, SECTOR_WEIGHTS, 1) if rng.random() < 0.8 else []
    pool = [t for s in sectors or ["pie"] for t in SECTORS[s]["themes"]]
    themes = rng.sample(pool, rng.randint(0, 2))
    _, place, _, _ = rng.choice(points)
    request: dict = {
        "id": f"r{i:06d}",
        "school": f"{rng.choice(SCHOOL_TYPES)} {place}",
        "kinds": _weighted(rng, KINDS, rng.choice([1, 1, 2])),
        "sectors": sectors,
        "themes": themes,
        "target_group": rng.choice(TARGET_GROUPS),
        "description": _description(rng, sectors, themes, vocab),
    }
    if rng.random() < 0.7:
        request["group_size"] = rng.randint(10, 30)
    if rng.random() < 0.6:
        request["max_travel_km"] = rng.choice([10, 15, 20, 30, 50])
    if rng.random() < 0.6:
        request["period"] = _period(rng)
    _location(rng, points, request)
    return request


def generate(n_offers: int, n_requests: int, seed: int) -> tuple[list[dict], list[dict]]:
    """Return ``(offers, requests)``; the same arguments always give the same records."""
    rng = random.Random(seed)
    points = _pc4_points()
    vocab = _pseudo_vocabulary(rng)
    offers = [make_offer(rng, points, vocab, i) for i in range(n_offers)]
    requests = [make_request(rng, points, vocab, i) for i in range(n_requests)]
    return offers, requests


def main(argv: list[str] | None = None) -> None:
    """Write ``offers.json`` and ``requests.json`` to ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    offers, requests = generate(args.offers, args.requests, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, records in (("offers.json", offers), ("requests.json", requests)):
        with (args.out / name).open("w", encoding="utf-8") as fh:
            json.dump(records, fh, ensure_ascii=False)
    print(f"wrote {len(offers)} offers and {len(requests)} requests to {args.out}")


if __name__ == "__main__":
    main()
