"""Labels of every code, in Dutch and English."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from matching import vocabulary
from matching.labels import label_for
from onderwijsplatform.i18n import current_locale

# The exchange-format vocabularies (kinds, sectors, target_groups, where) carry both languages
# themselves, in matching.vocabulary. The app's own codes are below, Dutch with English in the
# catalog; their codes are the values of the model enums and of the services' code lists.
APP_CODES: dict[str, dict[str, object]] = {
    "request_status": {
        "open": _l("Open"),
        "closed": _l("Afgesloten"),
        "cancelled": _l("Geannuleerd"),
    },
    # Introduction states as the regional team says them, inside a sentence.
    "introduction_state": {
        "requested": _l("aangevraagd"),
        "approved": _l("goedgekeurd"),
        "declined": _l("afgewezen"),
        "agreed": _l("datum afgesproken"),
        "no_response": _l("geen reactie"),
        "cancelled": _l("geannuleerd"),
        "completed": _l("afgerond"),
    },
    # The same states as a coordinator sees them on a badge.
    "introduction_state_school": {
        "requested": _l("Aangevraagd"),
        "approved": _l("Introductie gemaakt"),
        "agreed": _l("Afspraak gemaakt"),
        "completed": _l("Afgerond"),
        "declined": _l("Niet doorgegaan"),
        "no_response": _l("Geen reactie"),
        "cancelled": _l("Geannuleerd"),
    },
    "approval": {
        "pending": _l("wacht op het regioteam"),
        "approved": _l("goedgekeurd"),
        "rejected": _l("afgewezen"),
    },
    "offer_status": {
        "unconfirmed": _l("Nog niet bevestigd"),
        "pending_review": _l("Wacht op het regioteam"),
        "active": _l("Actief"),
        "paused": _l("Gepauzeerd"),
        "not_this_year": _l("Niet dit schooljaar"),
        "withdrawn": _l("Ingetrokken"),
        "rejected": _l("Niet geplaatst"),
    },
    "offer_action": {
        "pause": _l("Pauzeren"),
        "resume": _l("Weer actief maken"),
        "not_this_year": _l("Niet dit schooljaar"),
        "withdraw": _l("Intrekken"),
    },
    "outbox_status": {
        "pending": _l("Wachtend"),
        "sending": _l("Bezig"),
        "sent": _l("Verstuurd"),
        "failed": _l("Mislukt"),
    },
    "school_type": {
        "po": _l("Primair onderwijs"),
        "vmbo": _l("vmbo"),
        "mbo": _l("mbo"),
        "other": _l("Anders"),
    },
    "dismiss_reason": {
        "te_ver": _l("Te ver weg"),
        "doelgroep": _l("Verkeerde doelgroep"),
        "thema": _l("Verkeerd thema"),
        "periode": _l("Niet in de periode"),
        "al_contact": _l("We hebben al contact"),
        "anders": _l("Anders"),
    },
    "holiday_zone": {
        "noord": _l("Regio noord"),
        "midden": _l("Regio midden"),
        "zuid": _l("Regio zuid"),
    },
    "team_role": {
        "staff": _l("Regioteam"),
        "region_admin": _l("Regiobeheerder"),
    },
    "role": {
        "coordinator": _l("Coördinator"),
        "staff": _l("Regioteam"),
        "region_admin": _l("Regiobeheerder"),
        "admin": _l("Platformbeheerder"),
    },
    "loan_state": {
        "requested": _l("Aangevraagd"),
        "approved": _l("Goedgekeurd"),
        "declined": _l("Afgewezen"),
        "out": _l("Uitgeleend"),
        "returned_partly": _l("Deels terug"),
        "returned": _l("Terug"),
        "lost": _l("Kwijt"),
        "cancelled": _l("Geannuleerd"),
    },
    "handover": {
        "pickup": _l("Ophalen bij de uitleenbalie"),
        "delivery": _l("Bezorgen op school"),
    },
    "lending_approval": {
        "auto": _l("Automatisch voor scholen van de regio"),
        "owner": _l("De eigenaar keurt goed"),
    },
    "weekday": {
        "0": _l("maandag"),
        "1": _l("dinsdag"),
        "2": _l("woensdag"),
        "3": _l("donderdag"),
        "4": _l("vrijdag"),
        "5": _l("zaterdag"),
        "6": _l("zondag"),
    },
    # How well a suggestion fits: the codes of matching.labels.label_for(score).
    "score_label": {
        "zeer_goed": _l("Zeer goed"),
        "goed": _l("Goed"),
        "redelijk": _l("Redelijk"),
    },
    # Visit booking: a booking's state, a programme's status, how bookings are confirmed.
    "booking_state": {
        "provisional": _l("Voorlopig"),
        "confirmed": _l("Bevestigd"),
        "declined": _l("Afgewezen"),
        "cancelled": _l("Geannuleerd"),
        "took_place": _l("Heeft plaatsgevonden"),
        "no_show": _l("Niet verschenen"),
    },
    "programme_status": {
        "draft": _l("Concept"),
        "active": _l("Open voor boekingen"),
        "paused": _l("Gepauzeerd"),
        "archived": _l("Gearchiveerd"),
    },
    "visit_confirmation": {
        "by_host": _l("De gastheer bevestigt elke boeking"),
        "automatic": _l("Boekingen zijn meteen bevestigd"),
    },
    # The school days a visit series may repeat on.
    "school_weekday": {
        "0": _l("maandag"),
        "1": _l("dinsdag"),
        "2": _l("woensdag"),
        "3": _l("donderdag"),
        "4": _l("vrijdag"),
    },
    # Each language in its own words, whatever the page's language.
    "language": {"nl": "Nederlands", "en": "English"},
}

NAMES = frozenset(vocabulary.VOCABULARIES) | frozenset(APP_CODES)


def _text(text: object, lang: str | None) -> str:
    if lang is None or lang == current_locale():
        return str(text)
    with force_locale(lang):
        return str(text)


def label(name: str, code: str | None, lang: str | None = None) -> str:
    """The label of ``code`` in the list ``name``, in ``lang`` (default: the page's language).

    An unknown code is shown as it is; an unknown list is a programming error (KeyError).
    """
    if name in vocabulary.VOCABULARIES:
        return vocabulary.label(name, code or "", lang or current_locale())
    text = APP_CODES[name].get(code or "")
    if text is None:
        return code or ""
    return _text(text, lang)


def labels(name: str, codes: Iterable[str] | None, lang: str | None = None) -> str:
    """The labels of ``codes``, comma-separated, for display."""
    lang = lang or current_locale()
    return ", ".join(label(name, code, lang) for code in codes or ())


def choices(name: str, lang: str | None = None) -> list[tuple[str, str]]:
    """(code, label) of every code of ``name``, in the list's own order."""
    if name in vocabulary.VOCABULARIES:
        return vocabulary.choices(name, lang or current_locale())
    return [(code, _text(text, lang)) for code, text in APP_CODES[name].items()]


def score_label(score: float, lang: str | None = None) -> str:
    """The words for how well a suggestion fits, decided by ``matching.labels.label_for``."""
    return label("score_label", label_for(score), lang)


def init_app(app: Flask) -> None:
    """Every template (pages and emails) says ``label(name, code)`` and ``labels(name, codes)``.

    ``score_label(score)`` gives the words for a score and ``label_for(score)`` its code.
    """
    app.jinja_env.globals.update(
        label=label, labels=labels, score_label=score_label, label_for=label_for
    )
