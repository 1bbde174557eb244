"""Forms of the company self-service pages: an offer, the contact's details, a link request."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField

from onderwijsplatform.forms.intake import ContributionFields, _line
from onderwijsplatform.forms.intake_fields import OneEmail, Phone


class OfferForm(ContributionFields, FlaskForm):
    """One offer, edited or added by the company itself."""


class ContactForm(FlaskForm):
    """The contact's own details (rectification)."""

    name = _line(_l("Uw naam"), 200, required=True, name=True)
    role = _line(_l("Uw functie (optioneel)"), 100)
    phone = _line(_l("Telefoonnummer (optioneel)"), 40)
    language = SelectField(
        _l("Taal van de e-mails"),
        choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")],
        invalid_choice_message=_l("Kies alleen uit de genoemde mogelijkheden."),
    )

    def validate_phone(self, field) -> None:
        Phone()(self, field)
        field.data = field.data or None


class LinkRequestForm(FlaskForm):
    """Ask for a fresh self-service link by email address."""

    email = _line(_l("E-mailadres"), 320, required=True)

    def validate_email(self, field) -> None:
        OneEmail()(self, field)


class ConfirmForm(FlaskForm):
    """A button only: the POST that uses a link or confirms an irreversible step."""
