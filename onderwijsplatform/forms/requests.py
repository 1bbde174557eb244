"""Forms of a school request (hulpvraag) and of the actions on its suggestions."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from onderwijsplatform.forms.coordinator_common import (
    TOO_LONG,
    InChoices,
    MultiLine,
    SingleLine,
    checkboxes,
    clean,
    vocabulary_choices,
)
from onderwijsplatform.i18n import current_locale

GROUP_SIZE_MAX = 1000
TRAVEL_KM_MAX = 300
THEMES_MAX = 10
THEME_LENGTH_MAX = 60
DESCRIPTION_MAX = 5000
_DIGITS = re.compile(r"[0-9]{1,9}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def parse_bounded_int(value: str | None, low: int, high: int) -> int | None:
    """A whole number in [low, high], or None for an empty value; ValueError otherwise."""
    if value in (None, ""):
        return None
    if not _DIGITS.fullmatch(value):
        raise ValueError(value)
    number = int(value)
    if not low <= number <= high:
        raise ValueError(value)
    return number


def parse_day(value: str | None) -> date | None:
    """An ISO date between 2000 and 2100, or None for an empty value; ValueError otherwise."""
    if value in (None, ""):
        return None
    if not _ISO_DATE.fullmatch(value):
        raise ValueError(value)
    day = date.fromisoformat(value)
    if not EARLIEST <= day <= LATEST:
        raise ValueError(value)
    return day


def split_themes(value: str | None) -> list[str]:
    """Comma- or semicolon-separated themes, trimmed, without empty or repeated ones."""
    seen: dict[str, str] = {}
    for part in re.split(r"[,;\n]", value or ""):
        theme = " ".join(part.split())
        if theme and theme.casefold() not in seen:
            seen[theme.casefold()] = theme
    return list(seen.values())


class RequestForm(FlaskForm):
    """What a school asks for; every value is checked before anything is stored."""

    kinds = checkboxes(
        _l("Soort hulp"),
        validate_choice=False,
        validators=[DataRequired(_l("Kies minstens één soort hulp.")), InChoices()],
    )
    sectors = checkboxes(_l("Profielen"), validate_choice=False, validators=[InChoices()])
    themes = StringField(
        _l("Thema's"),
        filters=[clean],
        validators=[Length(max=500, message=TOO_LONG), SingleLine(names=False)],
        description=_l("Gescheiden door komma's, bijvoorbeeld: zonnepanelen, 3D-printen."),
    )
    target_group = SelectField(
        _l("Doelgroep"),
        validate_choice=False,
        validators=[DataRequired(_l("Kies de doelgroep.")), InChoices()],
    )
    group_size = StringField(
        _l("Aantal leerlingen"), filters=[clean], render_kw={"inputmode": "numeric"}
    )
    max_travel_km = StringField(
        _l("Hoe ver kan de groep reizen (km)?"),
        filters=[clean],
        render_kw={"inputmode": "numeric"},
        description=_l("Leeg laten als de groep niet reist."),
    )
    period_from = StringField(_l("Periode van"), filters=[clean], render_kw={"type": "date"})
    period_to = StringField(_l("Periode tot en met"), filters=[clean], render_kw={"type": "date"})
    description = TextAreaField(
        _l("Omschrijving"),
        filters=[clean],
        validators=[
            DataRequired(_l("Beschrijf kort wat u zoekt.")),
            Length(max=DESCRIPTION_MAX, message=_l("Gebruik hooguit 5000 tekens.")),
            MultiLine(),
        ],
        render_kw={"rows": 5},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        lang = current_locale()
        self.kinds.choices = vocabulary_choices("kinds", lang)
        self.sectors.choices = vocabulary_choices("sectors", lang)
        self.target_group.choices = [
            SelectChoice("", _l("Kies…")),
            *vocabulary_choices("target_groups", lang),
        ]

    def validate_themes(self, field) -> None:
        themes = split_themes(field.data)
        if len(themes) > THEMES_MAX:
            raise ValidationError(_l("Geef hooguit 10 thema's."))
        if any(len(theme) > THEME_LENGTH_MAX for theme in themes):
            raise ValidationError(_l("Een thema is hooguit 60 tekens lang."))

    def validate_group_size(self, field) -> None:
        try:
            parse_bounded_int(field.data, 1, GROUP_SIZE_MAX)
        except ValueError:
            raise ValidationError(_l("Vul een aantal van 1 tot 1000 in.")) from None

    def validate_max_travel_km(self, field) -> None:
        try:
            parse_bounded_int(field.data, 0, TRAVEL_KM_MAX)
        except ValueError:
            raise ValidationError(_l("Vul een afstand van 0 tot 300 km in.")) from None

    def validate_period_from(self, field) -> None:
        try:
            parse_day(field.data)
        except ValueError:
            raise ValidationError(_l("Vul een geldige datum in (jjjj-mm-dd).")) from None

    def validate_period_to(self, field) -> None:
        try:
            start, end = parse_day(self.period_from.data), parse_day(field.data)
        except ValueError:
            if field.data:
                try:
                    parse_day(field.data)
                except ValueError:
                    raise ValidationError(_l("Vul een geldige datum in (jjjj-mm-dd).")) from None
            return
        if (start is None) != (end is None):
            raise ValidationError(_l("Vul zowel het begin als het einde van de periode in."))
        if start and end and start > end:
            raise ValidationError(_l("Het einde van de periode ligt vóór het begin."))

    def values(self) -> dict:
        """The cleaned values, ready for services.school_requests."""
        return {
            "kinds": list(dict.fromkeys(self.kinds.data)),
            "sectors": list(dict.fromkeys(self.sectors.data or [])),
            "themes": split_themes(self.themes.data),
            "target_group": self.target_group.data,
            "group_size": parse_bounded_int(self.group_size.data, 1, GROUP_SIZE_MAX),
            "max_travel_km": parse_bounded_int(self.max_travel_km.data, 0, TRAVEL_KM_MAX),
            "period_from": parse_day(self.period_from.data),
            "period_to": parse_day(self.period_to.data),
            "description": self.description.data,
        }


DISMISS_REASONS = (
    ("te_ver", _l("Te ver weg")),
    ("doelgroep", _l("Verkeerde doelgroep")),
    ("thema", _l("Verkeerd thema")),
    ("periode", _l("Niet in de periode")),
    ("al_contact", _l("We hebben al contact")),
    ("anders", _l("Anders")),
)


class IntroductionForm(FlaskForm):
    """Ask staff for an introduction, with an optional message."""

    message = TextAreaField(
        _l("Bericht aan het regioteam (optioneel)"),
        filters=[clean],
        validators=[
            Optional(),
            Length(max=2000, message=_l("Gebruik hooguit 2000 tekens.")),
            MultiLine(),
        ],
        render_kw={"rows": 2},
    )


class DismissForm(FlaskForm):
    """Mark a suggestion as not suitable, with a reason."""

    reason = RadioField(
        _l("Waarom past dit niet?"),
        validate_choice=False,
        validators=[DataRequired(_l("Kies een reden.")), InChoices()],
    )
    note = TextAreaField(
        _l("Toelichting (optioneel)"),
        filters=[clean],
        validators=[
            Optional(),
            Length(max=1000, message=_l("Gebruik hooguit 1000 tekens.")),
            MultiLine(),
        ],
        render_kw={"rows": 2},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reason.choices = [SelectChoice(code, str(text)) for code, text in DISMISS_REASONS]


DISTANCE_FILTERS = (10, 25, 50, 100)


class SuggestionFilterForm(Form):
    """The GET filters of the suggestions page; unknown values are simply ignored."""

    kind = SelectField(_l("Soort hulp"), validate_choice=False)
    max_km = SelectField(_l("Afstand"), validate_choice=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [
            SelectChoice("", _l("Alle soorten")),
            *vocabulary_choices("kinds", current_locale()),
        ]
        self.max_km.choices = [SelectChoice("", _l("Elke afstand"))] + [
            SelectChoice(str(km), _l("Tot %(km)s km", km=km)) for km in DISTANCE_FILTERS
        ]

    def chosen(self) -> tuple[str | None, int | None]:
        """(kind, max_km), each None when absent or not one of the choices."""
        kinds = {choice.value for choice in self.kind.choices if choice.value}
        kind = self.kind.data if self.kind.data in kinds else None
        km = self.max_km.data
        max_km = int(km) if km in {str(k) for k in DISTANCE_FILTERS} else None
        return kind, max_km
