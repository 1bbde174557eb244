"""Forms of the company self-service pages: an offer, the contact's details, a link request."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import DataRequired, ValidationError

from onderwijsplatform.forms.fields import CHOOSE_FROM_LIST, CheckboxesField, CodeField
from onderwijsplatform.forms.intake import EXAMPLE_ADDRESS, ContributionFields, _line
from onderwijsplatform.forms.text import OneEmail, Phone


class OfferForm(ContributionFields, FlaskForm):
    """One offer, edited or added by the company itself."""

    # The view offers the regions the company serves; asked only when there are several.
    regions = CheckboxesField(_l("In welke van uw regio's is dit aanbod beschikbaar?"))

    def validate_regions(self, field) -> None:
        if len(field.choices or ()) > 1 and not field.data:
            raise ValidationError(_l("Kies minstens één regio."))


class ContactForm(FlaskForm):
    """The contact's own details (rectification)."""

    name = _line(_l("Uw naam"), 200, required=True)
    role = _line(_l("Uw functie (optioneel)"), 100)
    phone = _line(_l("Telefoonnummer (optioneel)"), 40, validators=[Phone()])
    language = CodeField(
        _l("Taal van de e-mails"), [DataRequired(CHOOSE_FROM_LIST)], codes="language"
    )


class LinkRequestForm(FlaskForm):
    """Ask for a fresh self-service link by email address."""

    email = _line(
        _l("E-mailadres"), 320, required=True, validators=[OneEmail(example=EXAMPLE_ADDRESS)]
    )


class ConfirmForm(FlaskForm):
    """A button only: the POST that uses a link or confirms an irreversible step."""


class RegionsForm(FlaskForm):
    """The regions a company serves; the view sets the choices."""

    regions = CheckboxesField(
        _l("In welke regio's wilt u helpen?"), [DataRequired(_l("Kies minstens één regio."))]
    )
