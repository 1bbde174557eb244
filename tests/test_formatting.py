"""Numbers, money and dates in the reader's language, through the one set of filters."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from flask_babel import force_locale

from onderwijsplatform import formatting
from onderwijsplatform.mail import outbox

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
MOMENT = datetime(2026, 12, 2, 21, 11, 13, tzinfo=UTC)  # 22:11 in Amsterdam


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            {
                "money": "€\xa0255,50",
                "hours": "3,5",
                "count": "1.234",
                "score": "0,73",
                "day": "2 december 2026",
                "day_medium": "2 dec 2026",
                "moment": "2 december 2026, 22:11",
                "input": "45,5",
                "cents_input": "45,50",
            },
        ),
        (
            "en",
            {
                "money": "€255.50",
                "hours": "3.5",
                "count": "1,234",
                "score": "0.73",
                "day": "2 December 2026",
                "day_medium": "2 Dec 2026",
                "moment": "2 December 2026, 22:11",
                "input": "45.5",
                "cents_input": "45.50",
            },
        ),
    ],
)
def test_each_format_follows_the_language(app, language, expected):
    with app.test_request_context(), force_locale(language):
        shown = {
            "money": formatting.money(25550),
            "hours": formatting.number(Decimal("3.50")),
            "count": formatting.number(1234),
            "score": formatting.score(0.7312),
            "day": formatting.day(date(2026, 12, 2)),
            "day_medium": formatting.day(date(2026, 12, 2), "medium"),
            "moment": formatting.moment(MOMENT),
            "input": formatting.for_input(Decimal("45.50")),
            "cents_input": formatting.cents_for_input(4550),
        }
    assert shown == expected


def test_missing_values_read_as_a_dash_or_nothing(app):
    with app.test_request_context():
        assert formatting.money(None) == formatting.number(None) == "—"
        assert formatting.day(None) == formatting.moment(None) == formatting.for_input(None) == ""


def test_the_invitation_mail_gives_its_deadline_in_words(db):
    context = {
        "name": "Sanne",
        "school": "Het Lyceum",
        "inviter": "Team Assen",
        "link": "http://127.0.0.1:5000/x",
        "expires_at": MOMENT,
    }
    dutch = outbox.render("coordinator_invite", context, language="nl")
    english = outbox.render("coordinator_invite", context, language="en")
    assert "De link werkt tot 2 december 2026, 22:11 en" in dutch.text
    assert "2 December 2026, 22:11" in english.text
    assert "PM" not in english.text
    assert "+0100" not in english.text


# What a template must not do itself any more: each has a filter in onderwijsplatform/formatting.
_BY_HAND = re.compile(
    r'"%\.\d?f"|\|(?:dateformat|datetimeformat|numberformat|decimalformat|currencyformat)\b'
    r"|€ ?\{\{|\.strftime\(|\.isoformat\(\)\s*\}\}"
)


def test_templates_format_through_the_one_set_of_filters():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*")
        if path.is_file()
        for match in _BY_HAND.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_a_name_ending_in_a_full_stop_ends_a_sentence_with_one(db):
    assert formatting.one_stop("van Drenthe B.V.. Bevestig") == "van Drenthe B.V. Bevestig"
    assert formatting.one_stop("Even wachten...") == "Even wachten..."
    context = {"organisation": {"name": "Zonnewerf Drenthe B.V."}, "contact": {"name": "Sanne"}}
    rendered = outbox.render("organisation_rejected", {**context, "reason": "x", "region": None})
    assert "Zonnewerf Drenthe B.V. Wij kunnen" in rendered.text
    assert "B.V.." not in rendered.html
