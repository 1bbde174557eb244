"""The form-field kit: cleaning, the character rule, addresses, numbers, dates, codes, passwords."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict
from wtforms import Form, PasswordField

from onderwijsplatform.forms.fields import (
    EARLIEST,
    LATEST,
    CodeField,
    CodesField,
    DayField,
    NumberField,
    check_period,
    line_field,
    parse_day,
    parse_number,
    text_field,
)
from onderwijsplatform.forms.text import (
    BAD_CHARACTERS,
    INVISIBLE_CHARACTERS,
    NewPassword,
    OneEmail,
    Themes,
    character_problem,
    clean_line,
    clean_text,
    drop_controls,
    normalise_email,
    parse_phone,
    split_themes,
)
from onderwijsplatform.identity import passwords, staff_accounts
from onderwijsplatform.services.errors import ValidationFailed


@contextmanager
def page_in(app, lang: str = "nl"):
    with app.test_request_context(), force_locale(lang):
        yield


def _submit(form_class, **values):
    form = form_class(MultiDict(values))
    return form, form.validate()


# Cleaning


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("  Jan   Hofman ", "Jan Hofman"),
        ("Jan\u00a0\u00a0Hofman", "Jan Hofman"),
        ("Cafe\u0301", "Café"),
        ("", ""),
        (None, None),
        (42, 42),
    ],
)
def test_clean_line_normalises_trims_and_collapses_spaces(value, cleaned):
    assert clean_line(value) == cleaned


def test_clean_line_leaves_control_characters_for_the_rule_to_refuse():
    assert clean_line("a\x00 b") == "a\x00 b"
    assert clean_line("a\nb") == "a\nb"


def test_clean_text_keeps_lines_and_makes_every_break_a_line_feed():
    assert clean_text("  een\r\ntwee\rdrie\u2028vier  \n") == "een\ntwee\ndrie\nvier"
    assert clean_text("a   b\tc") == "a   b\tc"


def test_drop_controls_is_the_lenient_way_for_public_forms():
    assert drop_controls("Hof\x00man\x07 B.V.\x85") == "Hofman B.V."


# The one character rule


@pytest.mark.parametrize(
    "char", ["\x00", "\x07", "\t", "\n", "\r", "\x1b", "\x7f", "\x85", "\u2028"]
)
def test_control_characters_are_refused_in_one_line(char):
    assert character_problem(f"a{char}b") is BAD_CHARACTERS


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b", "\x7f", "\x9b"])
def test_control_characters_are_refused_in_free_text(char):
    assert character_problem(f"a{char}b", multiline=True) is BAD_CHARACTERS


def test_free_text_keeps_tabs_line_breaks_and_invisible_characters():
    assert character_problem("een\ttwee\ndrie \u202e 👩\u200d🔧", multiline=True) is None


@pytest.mark.parametrize("char", ["\ufffd", chr(0xD800)])
def test_broken_text_is_refused_everywhere(char):
    assert character_problem(f"a{char}") is BAD_CHARACTERS
    assert character_problem(f"a{char}", multiline=True) is BAD_CHARACTERS


@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\u200f", "\u2066", "\ufeff", "\u2060"])
def test_invisible_characters_are_refused_in_one_line(char):
    assert character_problem(f"Hofman{char}BV") is INVISIBLE_CHARACTERS


def test_ordinary_text_passes():
    assert character_problem("Zoë's café — 3D-printen & zonnepanelen 😀") is None


def test_fields_apply_the_rule_and_say_why_in_both_languages(app):
    class F(Form):
        name = line_field("Naam", 50, required=True)
        note = text_field("Toelichting", 50)
        lenient = line_field("Bedrijf", 50, lenient=True)

    with page_in(app, "nl"):
        form, valid = _submit(F, name="Jan\u202e", note="a\x00b", lenient="Hof\x00man")
        assert not valid
        assert form.name.errors == ["Dit veld bevat onzichtbare tekens die niet zijn toegestaan."]
        assert form.note.errors == ["Dit veld bevat tekens die niet zijn toegestaan."]
        assert form.lenient.data == "Hofman"
        assert form.lenient.errors == []
        form, valid = _submit(F, name="   ", note="x" * 51, lenient="")
        assert form.name.errors == ["Dit veld is verplicht."]
        assert form.note.errors == ["Gebruik hooguit 50 tekens."]
    with page_in(app, "en"):
        form, valid = _submit(F, name="Jan\x00", note="x" * 51)
        assert form.name.errors == ["This field contains characters that are not allowed."]
        assert form.note.errors == ["Use at most 50 characters."]


# Email addresses


class EmailForm(Form):
    email = line_field("E-mailadres", 320, validators=[OneEmail()])


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (" JAN@School.NL ", "JAN@school.nl"),
        ("jan.de.vries+x@bedrijf.nl", "jan.de.vries+x@bedrijf.nl"),
    ],
)
def test_one_email_keeps_the_local_part_and_lower_cases_the_domain(app, typed, stored):
    with page_in(app):
        form, valid = _submit(EmailForm, email=typed)
    assert valid
    assert form.email.data == stored


@pytest.mark.parametrize(
    "typed",
    [
        "a@b",
        "a@@b.nl",
        '"jan"@x.nl',
        "jan@x.nl%0d%0aBcc:",
        "jan@x.nl\r\nBcc: v@y.nl",
        "a@x.nl, b@y.nl",
        "a@x.nl;b@y.nl",
        "Jan <jan@x.nl>",
        "jan\x00@x.nl",
        "jan\u200b@x.nl",
        "jan@x.nl\ufffd",
        "a" * 250 + "@x.nl",
    ],
)
def test_one_email_refuses_lists_names_quotes_encodings_and_hidden_characters(app, typed):
    with page_in(app):
        form, valid = _submit(EmailForm, email=typed)
    assert not valid
    assert form.email.errors[-1] == "Vul één geldig e-mailadres in, zoals naam@school.nl."


def test_one_email_message_names_the_example_in_both_languages(app):
    class CompanyForm(Form):
        email = line_field("E-mailadres", 320, validators=[OneEmail(example="naam@bedrijf.nl")])

    with page_in(app, "en"):
        form, _valid = _submit(CompanyForm, email="nope")
        assert form.email.errors == ["Enter one valid email address, such as naam@bedrijf.nl."]


def test_normalise_email_is_what_sign_in_and_rate_limits_look_up():
    assert normalise_email("  Jan@School.NL ") == "Jan@school.nl"
    assert normalise_email("jan@x.nl\r\n") == "jan@x.nl"
    assert normalise_email("geen adres") == "geen adres"
    assert normalise_email(None) == ""


# Phone numbers and themes


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("06 12345678", "+31612345678"), ("+31 (0)20 123 4567", "+31201234567"), ("", None)],
)
def test_phone_numbers_become_e164(typed, stored):
    assert parse_phone(typed) == stored


@pytest.mark.parametrize("typed", ["bel mij", "1" * 31, "+31 6 123", "06-CALL-ME"])
def test_phone_numbers_that_are_not_are_refused(typed):
    with pytest.raises(ValueError, match=re.escape(typed)):
        parse_phone(typed)


def test_split_themes_trims_and_drops_repeats():
    assert split_themes(" zon ,Zon; wind\n  water  kracht ,,") == ["zon", "wind", "water kracht"]
    assert split_themes(None) == []


def test_themes_are_bounded_in_number_and_length(app):
    class F(Form):
        themes = line_field("Thema's", 1000, validators=[Themes(count=2, length=5)])

    with page_in(app):
        assert _submit(F, themes="a, b, a")[1]
        assert _submit(F, themes="a, b, c")[0].themes.errors == ["Geef hooguit 2 thema's."]
        long = _submit(F, themes="zonnepanelen")[0]
        assert long.themes.errors == ["Een thema is hooguit 5 tekens lang."]


# Numbers


@pytest.mark.parametrize(
    ("typed", "decimals", "number"),
    [
        ("12", 0, 12),
        ("0", 0, 0),
        ("2,5", 2, Decimal("2.5")),
        ("2.5", 2, Decimal("2.5")),
        ("2,55", 2, Decimal("2.55")),
        ("100000", 2, Decimal("100000")),
        ("€ 45,50", 2, Decimal("45.50")),
        ("€45.50", 2, Decimal("45.50")),
        ("45,50 €", 2, Decimal("45.50")),
        ("1.250,50", 2, Decimal("1250.50")),
        ("", 0, None),
        (None, 2, None),
    ],
)
def test_numbers_are_read_the_dutch_and_the_english_way(typed, decimals, number):
    parsed = parse_number(typed, low=0, high=100_000, decimals=decimals)
    assert parsed == number
    assert isinstance(parsed, (type(None), Decimal if decimals else int))


@pytest.mark.parametrize(
    ("typed", "decimals"),
    [
        ("2,5", 0),
        ("2.5", 0),
        ("2,555", 2),
        ("1e3", 2),
        ("NaN", 2),
        ("Infinity", 2),
        ("½", 0),
        ("²", 0),
        ("٣", 0),
        ("+1", 0),
        ("1.000", 0),
        ("1.000", 2),
        ("1,000.50", 2),
        ("€ 45", 0),
        ("€", 2),
        ("45 euro", 2),
        ("1 000", 0),
        ("-1", 0),
        ("100001", 0),
        ("99999999999", 0),
        ("9" * 5000, 2),
    ],
)
def test_numbers_outside_the_rule_or_the_bounds_are_refused(typed, decimals):
    with pytest.raises(ValueError, match=re.escape(typed)):
        parse_number(typed, low=0, high=100_000, decimals=decimals)


def test_bounds_are_inclusive_and_may_be_negative():
    assert parse_number("-5", low=-5, high=5) == -5
    assert parse_number("5", low=-5, high=5) == 5
    with pytest.raises(ValueError, match="6"):
        parse_number("6", low=-5, high=5)


def test_whole_number_fields_stay_within_int4():
    with pytest.raises(ValueError, match="int4"):
        NumberField("x", low=0, high=2**31)
    NumberField("x", low=-(2**31), high=2**31 - 1)
    NumberField("euro", low=0, high=10**12, decimals=2)  # decimals are not int4


def test_number_fields_keep_the_typed_text_and_give_the_value(app):
    class F(Form):
        hours = NumberField("Uren", low=0, high=100, decimals=2)
        pupils = NumberField("Leerlingen", low=1, high=30)
        size = NumberField("Groep", low=1, high=1000, message="Vul een aantal van 1 tot 1000 in.")

    with page_in(app, "nl"):
        form, valid = _submit(F, hours=" 2,5 ", pupils="31", size="0")
        assert not valid
        assert (form.hours.data, form.hours.value) == ("2,5", Decimal("2.5"))
        assert form.pupils.errors == ["Vul een heel getal in van 1 tot en met 30."]
        assert form.pupils.value is None
        assert form.size.errors == ["Vul een aantal van 1 tot 1000 in."]
        assert 'inputmode="decimal"' in form.hours()
        assert 'inputmode="numeric"' in form.pupils()
    with page_in(app, "en"):
        form, _valid = _submit(F, hours="2,555", pupils="x")
        assert form.hours.errors == ["Enter a number from 0 to 100, such as 2.5."]
        assert form.pupils.errors == ["Enter a whole number from 1 to 30."]


# Dates


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2027-03-01", date(2027, 3, 1)),
        ("1-3-2027", date(2027, 3, 1)),
        ("01/03/2027", date(2027, 3, 1)),
        ("1.3.2027", date(2027, 3, 1)),
        ("2020-01-01", EARLIEST),
        ("31-12-2100", LATEST),
        ("", None),
    ],
)
def test_dates_as_browsers_send_them_and_as_people_type_them(typed, day):
    assert parse_day(typed) == day


@pytest.mark.parametrize(
    "typed",
    [
        "2019-12-31",
        "2101-01-01",
        "0001-01-01",
        "9999-12-31",
        "2026-02-30",
        "30-02-2026",
        "tomorrow",
        "2027-03-01T00:00+01:00",
        "3/1/27",
        "20270301",
    ],
)
def test_dates_out_of_range_or_shape_are_refused(typed):
    with pytest.raises(ValueError, match=re.escape(typed)):
        parse_day(typed)


def test_day_fields_show_the_date_again_as_iso_and_check_periods(app):
    class F(Form):
        start = DayField("Van")
        end = DayField("Tot")

        def validate_end(self, field):
            check_period(self.start, field)

    with page_in(app, "nl"):
        form, valid = _submit(F, start="1-3-2027", end="2027-03-31")
        assert valid
        assert (form.start.data, form.start.value) == ("2027-03-01", date(2027, 3, 1))
        assert 'type="date"' in form.start()
        form, valid = _submit(F, start="2027-03-31", end="2027-03-01")
        assert form.end.errors == ["Het einde van de periode ligt vóór het begin."]
        form, valid = _submit(F, start="2027-03-01", end="")
        assert form.end.errors == ["Vul zowel het begin als het einde van de periode in."]
        form, valid = _submit(F, start="2019-06-01", end="2027-03-01")
        assert form.start.errors == ["Vul een geldige datum in (dd-mm-jjjj) tussen 2020 en 2100."]
        assert form.end.errors == []  # one message is enough
    with page_in(app, "en"):
        form, _valid = _submit(F, start="gisteren", end="")
        assert form.start.errors == ["Enter a valid date (dd-mm-yyyy) between 2020 and 2100."]


# Codes


class CodesForm(Form):
    kinds = CodesField("Soort", codes="kinds")
    target = CodeField("Doelgroep", codes="target_groups", placeholder="Kies…")


def test_code_fields_offer_the_labels_in_the_page_language(app):
    with page_in(app, "nl"):
        dutch = CodesForm()
        assert (dutch.kinds.choices[0].value, dutch.kinds.choices[0].label) == (
            "gastles",
            "Gastles op school",
        )
        assert [c.value for c in dutch.target.choices][:2] == ["", "po"]
    with page_in(app, "en"):
        assert CodesForm().kinds.choices[0].label == "Guest lesson at school"


def test_code_fields_take_each_known_code_once(app):
    with page_in(app):
        form = CodesForm(
            MultiDict([("kinds", "gastles"), ("kinds", "lesmodule"), ("kinds", "gastles")])
        )
        assert form.validate()
        assert form.kinds.data == ["gastles", "lesmodule"]


@pytest.mark.parametrize(
    "values", [[("kinds", "vliegen")], [("kinds", "Gastles")], [("target", "kleuters")]]
)
def test_unknown_codes_are_refused_in_both_languages(app, values):
    name = values[0][0]
    with page_in(app, "nl"):
        form = CodesForm(MultiDict(values))
        assert not form.validate()
        assert form[name].errors == ["Kies een van de mogelijkheden uit de lijst."]
    with page_in(app, "en"):
        form = CodesForm(MultiDict(values))
        form.validate()
        assert form[name].errors == ["Choose one of the options in the list."]


# The one password policy


class PasswordForm(Form):
    password = PasswordField("Wachtwoord", validators=[NewPassword()])


def test_one_password_policy_for_every_account():
    assert passwords.PASSWORD_MIN == 10
    assert staff_accounts.check_rules is passwords.check_rules
    passwords.check_rules("x" * passwords.PASSWORD_MIN)
    with pytest.raises(ValidationFailed):
        passwords.check_rules("x" * (passwords.PASSWORD_MIN - 1))


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("x" * 9, "Kies een wachtwoord van 10 tot 128 tekens (15 of meer is beter)."),
        ("x" * 129, "Kies een wachtwoord van 10 tot 128 tekens (15 of meer is beter)."),
        ("een lange\x00zin", "Dit veld bevat tekens die niet zijn toegestaan."),
        ("een lange\u200bzin", "Dit veld bevat onzichtbare tekens die niet zijn toegestaan."),
        (" tien tekens ", None),  # passwords are never trimmed or cleaned
    ],
)
def test_new_passwords(app, password, message):
    with page_in(app, "nl"):
        form, valid = _submit(PasswordForm, password=password)
        assert valid is (message is None)
        assert form.password.errors == ([message] if message else [])
    assert form.password.data == password


def test_the_password_message_in_english(app):
    with page_in(app, "en"):
        form, _valid = _submit(PasswordForm, password="kort")
        assert form.password.errors == [
            "Choose a password of 10 to 128 characters (15 or more is better)."
        ]
