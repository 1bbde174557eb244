"""Region admin forms: the region's settings and its school holidays."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

from onderwijsplatform.forms.fields import (
    CodeField,
    DayField,
    NumberField,
    check_period,
    line_field,
    text_field,
)
from onderwijsplatform.forms.text import REQUIRED, OneEmail, Phone


class RegionSettingsForm(FlaskForm):
    """What a region admin keeps: name, contact, hour rate, holiday zone, intake, introduction."""

    name = line_field(_l("Naam van de regio"), 200, required=True)
    contact_name = line_field(_l("Contactpersoon"), 200)
    contact_email = line_field(
        _l("E-mailadres van de regio"), 320, validators=[OneEmail(example="info@regio.nl")]
    )
    contact_phone = line_field(_l("Telefoon"), 40, validators=[Phone()])
    hour_rate = NumberField(
        _l("Uurtarief voor cofinanciering (euro)"),
        [DataRequired(REQUIRED)],
        low=0,
        high=1000,
        decimals=2,
    )
    holiday_zone = CodeField(
        _l("Vakantieregio"), codes="holiday_zone", placeholder=_l("Kies een vakantieregio…")
    )
    intake_open = BooleanField(_l("Bedrijven kunnen zich in deze regio aanmelden"))
    introduction = text_field(_l("Korte introductie voor de regiopagina"), 2000)


class HolidayForm(FlaskForm):
    """One school holiday of the region."""

    name = line_field(_l("Naam"), 100, required=True)
    starts_on = DayField(_l("Eerste dag"), [DataRequired(REQUIRED)])
    ends_on = DayField(_l("Laatste dag"), [DataRequired(REQUIRED)])

    def validate_ends_on(self, field: DayField) -> None:
        check_period(self.starts_on, field)


class TeamInviteForm(FlaskForm):
    """Invite someone to the region's team."""

    name = line_field(_l("Naam"), 200, required=True)
    email = line_field(
        _l("E-mailadres"), 320, required=True, validators=[OneEmail(example="naam@regio.nl")]
    )
    role = CodeField(_l("Rol"), codes="team_role")


class NewRegionForm(FlaskForm):
    """A platform admin adds a region: its code (in web addresses) and name."""

    code = line_field(_l("Code in het webadres"), 40, required=True)
    name = line_field(_l("Naam van de regio"), 200, required=True)
