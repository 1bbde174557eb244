"""Sign-in forms: login, password set/reset, login link, staff invitation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from onderwijsplatform.forms.fields import CodeField, InChoices, line_field
from onderwijsplatform.forms.text import (
    PASSWORDS_DIFFER,
    TOO_LONG,
    Characters,
    NewPassword,
    OneEmail,
    clean_line,
)
from onderwijsplatform.identity.passwords import PASSWORD_MAX


def _email_field(required_message: str, *, check=OneEmail) -> EmailField:
    """An address field: trimmed, required, at most 320 characters, checked by ``check``."""
    return EmailField(
        _l("E-mailadres"),
        filters=[clean_line],
        validators=[
            DataRequired(required_message),
            Length(max=320, message=TOO_LONG),
            check(),
        ],
    )


class LoginForm(FlaskForm):
    # Login only needs the character rule: an unknown address simply does not sign in.
    email = _email_field(_l("Vul uw e-mailadres in."), check=Characters)
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[InputRequired(_l("Vul uw wachtwoord in.")), Length(max=PASSWORD_MAX)],
    )
    next = HiddenField()


class EmailOnlyForm(FlaskForm):
    """Request a password reset or a login link: only an address."""

    email = _email_field(_l("Vul uw e-mailadres in."))


class SetPasswordForm(FlaskForm):
    """Choose a password (invitation and reset): the one password rule."""

    password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[InputRequired(_l("Kies een wachtwoord.")), NewPassword()],
    )
    confirm = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[
            InputRequired(_l("Herhaal het wachtwoord.")),
            EqualTo("password", PASSWORDS_DIFFER),
        ],
    )


class ConfirmForm(FlaskForm):
    """A single button that uses a link token (the GET only shows it)."""


class InvitationForm(FlaskForm):
    """Staff invite a coordinator for one school of their region (the view sets the schools)."""

    school_id = SelectField(
        _l("School"),
        validate_choice=False,
        validators=[DataRequired(_l("Kies een school.")), InChoices()],
    )
    name = line_field(_l("Naam"), 200, required=_l("Vul de naam in."))
    email = _email_field(_l("Vul het e-mailadres in."))
    language = CodeField(_l("Taal van de e-mail"), codes="language", default="nl")
