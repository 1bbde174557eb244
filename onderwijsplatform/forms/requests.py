"""Forms of a school request (hulpvraag) and of the actions on its suggestions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, RadioField, SelectChoice, SelectField
from wtforms.validators import DataRequired

from onderwijsplatform.forms.fields import (
    CodeField,
    CodesField,
    DayField,
    InChoices,
    NumberField,
    check_period,
    code_choices,
    line_field,
    text_field,
)
from onderwijsplatform.forms.text import Themes, split_themes

GROUP_SIZE_MAX = 1000
TRAVEL_KM_MAX = 300
THEMES_MAX = 10
THEME_LENGTH_MAX = 60
DESCRIPTION_MAX = 5000


class RequestForm(FlaskForm):
    """What a school asks for; every value is checked before anything is stored."""

    kinds = CodesField(
        _l("Soort hulp"), [DataRequired(_l("Kies minstens één soort hulp."))], codes="kinds"
    )
    sectors = CodesField(_l("Profielen"), codes="sectors")
    themes = line_field(
        _l("Thema's"),
        500,
        validators=[Themes(count=THEMES_MAX, length=THEME_LENGTH_MAX)],
        description=_l("Gescheiden door komma's, bijvoorbeeld: zonnepanelen, 3D-printen."),
    )
    target_group = CodeField(
        _l("Doelgroep"),
        [DataRequired(_l("Kies de doelgroep."))],
        codes="target_groups",
        placeholder=_l("Kies…"),
    )
    group_size = NumberField(
        _l("Aantal leerlingen"),
        low=1,
        high=GROUP_SIZE_MAX,
        message=_l("Vul een aantal van 1 tot 1000 in."),
    )
    max_travel_km = NumberField(
        _l("Hoe ver kan de groep reizen (km)?"),
        low=0,
        high=TRAVEL_KM_MAX,
        message=_l("Vul een afstand van 0 tot 300 km in."),
        description=_l("Leeg laten als de groep niet reist."),
    )
    period_from = DayField(_l("Periode van"))
    period_to = DayField(_l("Periode tot en met"))
    description = text_field(
        _l("Omschrijving"),
        DESCRIPTION_MAX,
        required=_l("Beschrijf kort wat u zoekt."),
        render_kw={"rows": 5},
    )

    def validate_period_to(self, field) -> None:
        check_period(self.period_from, field)

    def values(self) -> dict:
        """The cleaned values, ready for services.school_requests."""
        return {
            "kinds": list(self.kinds.data),
            "sectors": list(self.sectors.data or []),
            "themes": split_themes(self.themes.data),
            "target_group": self.target_group.data,
            "group_size": self.group_size.value,
            "max_travel_km": self.max_travel_km.value,
            "period_from": self.period_from.value,
            "period_to": self.period_to.value,
            "description": self.description.data,
        }


class IntroductionForm(FlaskForm):
    """Ask staff for an introduction, with an optional message."""

    message = text_field(_l("Bericht aan het regioteam (optioneel)"), 2000, render_kw={"rows": 2})


class DismissForm(FlaskForm):
    """Mark a suggestion as not suitable, with a reason."""

    reason = RadioField(
        _l("Waarom past dit niet?"),
        validate_choice=False,
        validators=[DataRequired(_l("Kies een reden.")), InChoices()],
    )
    note = text_field(_l("Toelichting (optioneel)"), 1000, render_kw={"rows": 2})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reason.choices = code_choices("dismiss_reason")


DISTANCE_FILTERS = (10, 25, 50, 100)


class SuggestionFilterForm(Form):
    """The GET filters of the suggestions page; unknown values are simply ignored."""

    kind = SelectField(_l("Soort hulp"), validate_choice=False)
    max_km = SelectField(_l("Afstand"), validate_choice=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice("", _l("Alle soorten")), *code_choices("kinds")]
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
