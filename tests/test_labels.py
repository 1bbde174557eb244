"""The labels of every code come from one place, in Dutch and English."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from flask import render_template_string
from flask_babel import force_locale

from matching import vocabulary
from matching.labels import GOOD_FROM, LABELS, VERY_GOOD_FROM
from matching.reasons import Explanation, reasons
from onderwijsplatform import labels
from onderwijsplatform.models import (
    Approval,
    IntroductionState,
    OfferStatus,
    OutboxStatus,
    RequestStatus,
    SchoolType,
)
from onderwijsplatform.services.introduction_requests import DISMISS_REASONS
from onderwijsplatform.services.self_service import ACTIONS


@contextmanager
def page_in(app, lang: str):
    with app.test_request_context(), force_locale(lang):
        yield


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", "Gastles op school, Groen"),
        ("en", "Guest lesson at school, Green (agriculture and nature)"),
    ],
)
def test_vocabulary_codes_take_the_page_language(app, lang, expected):
    with page_in(app, lang):
        said = labels.labels("kinds", ["gastles"]) + ", " + labels.label("sectors", "groen")
    assert said == expected


def test_vocabulary_labels_are_matching_s_own(app):
    with page_in(app, "nl"):
        for name, terms in vocabulary.VOCABULARIES.items():
            for lang in ("nl", "en"):
                assert labels.choices(name, lang) == [(t.code, t.label(lang)) for t in terms]


def test_an_explicit_language_wins_over_the_page(app):
    with page_in(app, "nl"):
        assert labels.label("kinds", "gastles", "en") == "Guest lesson at school"
        assert labels.label("request_status", "closed", "en") == "Closed"
        assert labels.label("request_status", "closed") == "Afgesloten"
        assert labels.labels("offer_status", ["active", "paused"], "en") == "Active, Paused"


def test_unknown_codes_show_as_they_are_and_unknown_lists_fail(app):
    with page_in(app, "en"):
        assert labels.label("kinds", "vliegen") == "vliegen"
        assert labels.label("offer_status", "gone") == "gone"
        assert labels.label("request_status", None) == ""
        assert labels.labels("kinds", None) == ""
        with pytest.raises(KeyError):
            labels.label("colours", "red")


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("request_status", [s.value for s in RequestStatus]),
        ("introduction_state", [s.value for s in IntroductionState]),
        ("introduction_state_school", [s.value for s in IntroductionState]),
        ("offer_status", [s.value for s in OfferStatus]),
        ("approval", [s.value for s in Approval]),
        ("offer_action", list(ACTIONS)),
        ("outbox_status", [s.value for s in OutboxStatus]),
        ("school_type", [s.value for s in SchoolType]),
        ("dismiss_reason", list(DISMISS_REASONS)),
        ("score_label", list(LABELS)),
    ],
)
def test_every_app_code_has_a_label_in_both_languages(app, name, codes):
    assert sorted(labels.APP_CODES[name]) == sorted(codes)
    with page_in(app, "nl"):
        dutch = dict(labels.choices(name))
        english = dict(labels.choices(name, "en"))
    assert all(dutch[code] and english[code] for code in codes)
    if name != "school_type":  # "vmbo" and "mbo" are the same word in both
        assert dutch != english


def test_templates_and_emails_share_the_globals(app):
    source = (
        '{{ labels("kinds", ["gastles", "lesmodule"]) }} | {{ label("introduction_state", s) }}'
    )
    with page_in(app, "nl"):
        dutch = render_template_string(source, s="agreed")
    with page_in(app, "en"):
        english = render_template_string(source, s="agreed")
    assert dutch == (
        "Gastles op school, Inhoudelijke ondersteuning van een onderwijsmodule of opdracht"
        " | datum afgesproken"
    )
    assert (
        english == "Guest lesson at school, Support for a lesson module or assignment | date agreed"
    )


def test_score_words_come_from_matching_s_label_for(app):
    source = "{{ score_label(s) }} / {{ label_for(s) }}"
    scores = (VERY_GOOD_FROM, GOOD_FROM, GOOD_FROM - 0.0001)
    with page_in(app, "nl"):
        dutch = [render_template_string(source, s=s) for s in scores]
    with page_in(app, "en"):
        english = [render_template_string(source, s=s) for s in scores]
        assert labels.score_label(GOOD_FROM, "nl") == "Goed"
    assert dutch == ["Zeer goed / zeer_goed", "Goed / goed", "Redelijk / redelijk"]
    assert english == ["Very good / zeer_goed", "Good / goed", "Fair / redelijk"]


def test_reasons_say_the_vocabulary_s_short_forms():
    # matching stays framework-free: its reasons read the words from the same Terms.
    for lang in ("nl", "en"):
        for term in vocabulary.KINDS:
            assert all((term.short_nl, term.short_en)), term.code
            said = reasons(_explanation(kinds=(term.code,)), lang)[0]
            assert said == ("kind: " if lang == "en" else "soort: ") + term.short(lang)
        for term in vocabulary.TARGET_GROUPS:
            assert all((term.short_nl, term.short_en)), term.code
            said = reasons(_explanation(target_group=term.code, audience="match"), lang)
            prefix = "target group: " if lang == "en" else "doelgroep: "
            assert prefix + term.short(lang) in said


def _explanation(**changes) -> Explanation:
    values = {
        "kinds": (),
        "sectors": (),
        "sector_state": "neutral",
        "mode": "online",
        "distance_km": 0.0,
        "themes": (),
        "text_fits": False,
        "timing": None,
        "capacity": None,
        "fairness": None,
    }
    return Explanation(**{**values, **changes})
