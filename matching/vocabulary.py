"""The exchange-format vocabulary: codes with their Dutch and English labels and short forms."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    """One vocabulary entry: a stable code, its labels and its short forms per language.

    The short form is the word people use in a sentence ("docentstage"); the reasons of a
    match say it. Without one, the short form is the label.
    """

    code: str
    nl: str
    en: str
    short_nl: str = ""
    short_en: str = ""

    def label(self, lang: str = "nl") -> str:
        """Return the label in ``lang`` ("nl" or "en"); Dutch for anything else."""
        return self.en if lang == "en" else self.nl

    def short(self, lang: str = "nl") -> str:
        """Return the short form in ``lang``; the label when there is none."""
        short = self.short_en if lang == "en" else self.short_nl
        return short or self.label(lang)


KINDS: tuple[Term, ...] = (
    Term("gastles", "Gastles op school", "Guest lesson at school", "gastles", "guest lesson"),
    Term(
        "bedrijfsbezoek",
        "Bedrijfsbezoek / excursie",
        "Company visit / excursion",
        "bedrijfsbezoek",
        "company visit",
    ),
    Term(
        "stage_leerling",
        "Stageplek voor leerlingen (snuffelstage, beroepspraktijkvorming)",
        "Internship for pupils (taster or work placement)",
        "stage voor leerlingen",
        "internship for pupils",
    ),
    Term(
        "stage_docent",
        "Stageplek voor docenten (docentstage)",
        "Internship for teachers",
        "docentstage",
        "teacher internship",
    ),
    Term(
        "materialen",
        "Faciliteiten en/of materialen beschikbaar stellen",
        "Facilities and/or materials",
        "materialen",
        "materials",
    ),
    Term(
        "doe_activiteit",
        "(Mede) organiseren van doe-activiteiten",
        "(Co-)organising hands-on activities",
        "doe-activiteit",
        "hands-on activity",
    ),
    Term(
        "hybride_docent",
        "Hybride docent beschikbaar stellen",
        "Providing a hybrid teacher",
        "hybride docent",
        "hybrid teacher",
    ),
    Term(
        "lesmodule",
        "Inhoudelijke ondersteuning van een onderwijsmodule of opdracht",
        "Support for a lesson module or assignment",
        "lesmodule",
        "lesson module",
    ),
    Term(
        "kennisdeling",
        "Kennisdeling (workshops, masterclasses, netwerk)",
        "Knowledge sharing (workshops, masterclasses, network)",
        "kennisdeling",
        "knowledge sharing",
    ),
)

SECTORS: tuple[Term, ...] = (
    Term("bwi", "Bouwen, Wonen en Interieur", "Construction, Housing and Interior"),
    Term("pie", "Produceren, Installeren en Energie", "Production, Installation and Energy"),
    Term("mvi", "Media, Vormgeving en ICT", "Media, Design and ICT"),
    Term("mt", "Mobiliteit en Transport", "Mobility and Transport"),
    Term("mat", "Maritiem en Techniek", "Maritime and Technology"),
    Term("dp", "Dienstverlening en Producten", "Services and Products"),
    Term("zw", "Zorg en Welzijn", "Care and Welfare"),
    Term("eo", "Economie en Ondernemen", "Economics and Enterprise"),
    Term("hbr", "Horeca, Bakkerij en Recreatie", "Hospitality, Bakery and Recreation"),
    Term("groen", "Groen", "Green (agriculture and nature)"),
)

# Short forms as coordinators say them ("vmbo 3–4").
TARGET_GROUPS: tuple[Term, ...] = (
    Term(
        "po",
        "Primair onderwijs (vooral groep 7 en 8)",
        "Primary school (mainly years 7 and 8)",
        "basisschool",
        "primary school",
    ),
    Term("vmbo_onderbouw", "vmbo leerjaar 1–2", "vmbo years 1–2", "vmbo 1–2", "vmbo years 1–2"),
    Term("vmbo_bovenbouw", "vmbo leerjaar 3–4", "vmbo years 3–4", "vmbo 3–4", "vmbo years 3–4"),
    Term("mbo", "mbo", "mbo (vocational college)", "mbo", "mbo"),
    Term("havo_vwo", "havo/vwo", "havo/vwo", "havo/vwo", "havo/vwo"),
    Term(
        "docenten", "docenten en instructeurs", "teachers and instructors", "docenten", "teachers"
    ),
)

WHERE: tuple[Term, ...] = (
    Term("bij_bedrijf", "Bij het bedrijf (leerlingen reizen)", "At the company (pupils travel)"),
    Term("op_school", "Op school (het bedrijf reist)", "At the school (the company travels)"),
    Term("online", "Online", "Online"),
)

DEFAULT_WHERE: tuple[str, ...] = ("bij_bedrijf",)

KIND_CODES = frozenset(t.code for t in KINDS)
SECTOR_CODES = frozenset(t.code for t in SECTORS)
TARGET_GROUP_CODES = frozenset(t.code for t in TARGET_GROUPS)
WHERE_CODES = frozenset(t.code for t in WHERE)

VOCABULARIES: dict[str, tuple[Term, ...]] = {
    "kinds": KINDS,
    "sectors": SECTORS,
    "target_groups": TARGET_GROUPS,
    "where": WHERE,
}

_BY_CODE: dict[str, dict[str, Term]] = {
    name: {t.code: t for t in terms} for name, terms in VOCABULARIES.items()
}


def label(vocabulary: str, code: str, lang: str = "nl") -> str:
    """Return the label of ``code`` in ``vocabulary``; the code itself if unknown."""
    term = _BY_CODE[vocabulary].get(code)
    return term.label(lang) if term else code


def short(vocabulary: str, code: str, lang: str = "nl") -> str:
    """Return the short form of ``code`` in ``vocabulary``; the code itself if unknown."""
    term = _BY_CODE[vocabulary].get(code)
    return term.short(lang) if term else code


def choices(vocabulary: str, lang: str = "nl") -> list[tuple[str, str]]:
    """Return ``(code, label)`` pairs in the vocabulary's documented order."""
    return [(t.code, t.label(lang)) for t in VOCABULARIES[vocabulary]]
