"""Sign-in forms: login, password set/reset, login link, staff invitation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from onderwijsplatform.forms.coordinator_common import (
    TOO_LONG,
    InChoices,
    OneEmail,
    SingleLine,
    clean,
)

PASSWORD_MIN = 10
PASSWORD_MAX = 128


def _email_field(required_message: str, *, check=OneEmail) -> EmailField:
    """An address field: trimmed, required, at most 320 characters, checked by ``check``."""
    return EmailField(
        _l("E-mailadres"),
        filters=[clean],
        validators=[
            DataRequired(required_message),
            Length(max=320, message=TOO_LONG),
            check(),
        ],
    )


class LoginForm(FlaskForm):
    # Login only needs one line: an unknown address simply does not sign in.
    email = _email_field(_l("Vul uw e-mailadres in."), check=SingleLine)
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[InputRequired(_l("Vul uw wachtwoord in.")), Length(max=PASSWORD_MAX)],
    )
    next = HiddenField()


class EmailOnlyForm(FlaskForm):
    """Request a password reset or a login link: only an address."""

    email = _email_field(_l("Vul uw e-mailadres in."))


def _not_control(form, field) -> None:
    if any(ord(c) < 32 or ord(c) == 127 for c in field.data or ""):
        raise ValidationError(_l("Dit veld bevat tekens die niet zijn toegestaan."))


class SetPasswordForm(FlaskForm):
    """Choose a password (invitation and reset): length only, no composition rules."""

    password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[
            InputRequired(_l("Kies een wachtwoord.")),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l("Kies een wachtwoord van 10 tot 128 tekens."),
            ),
            _not_control,
        ],
    )
    confirm = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[
            InputRequired(_l("Herhaal het wachtwoord.")),
            EqualTo("password", _l("De twee wachtwoorden zijn niet gelijk.")),
        ],
    )


class ConfirmForm(FlaskForm):
    """A single button that uses a link token (the GET only shows it)."""


class InvitationForm(FlaskForm):
    """Staff invite a coordinator for one school of their region."""

    school_id = SelectField(
        _l("School"),
        validate_choice=False,
        validators=[DataRequired(_l("Kies een school.")), InChoices()],
    )
    name = StringField(
        _l("Naam"),
        filters=[clean],
        validators=[
            DataRequired(_l("Vul de naam in.")),
            Length(max=200, message=TOO_LONG),
            SingleLine(),
        ],
    )
    email = _email_field(_l("Vul het e-mailadres in."))
    language = SelectField(
        _l("Taal van de e-mail"), default="nl", validate_choice=False, validators=[InChoices()]
    )
