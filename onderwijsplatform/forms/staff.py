"""Staff forms: enrolment, second factor, moderation and introduction decisions, corrections."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectChoice, SelectField
from wtforms.validators import DataRequired, EqualTo

from onderwijsplatform.forms.fields import (
    DayField,
    InChoices,
    NumberField,
    line_field,
    text_field,
)
from onderwijsplatform.forms.outcomes import HOURS_MESSAGE, MATERIALS_MESSAGE
from onderwijsplatform.forms.text import PASSWORDS_DIFFER, REQUIRED, NewPassword
from onderwijsplatform.models.outcomes import HOURS_MAX, MATERIALS_MAX_EUROS


class EnrolForm(FlaskForm):
    """Set a password and confirm the authenticator with one code."""

    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(REQUIRED), NewPassword()])
    password_repeat = PasswordField(
        _l("Wachtwoord nogmaals"),
        validators=[DataRequired(REQUIRED), EqualTo("password", message=PASSWORDS_DIFFER)],
    )
    code = line_field(_l("Code uit de app"), 20, required=True)


class SecondFactorForm(FlaskForm):
    """The six-digit code, or a recovery code."""

    code = line_field(_l("Code uit de app of herstelcode"), 20, required=True)


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token."""


class ReasonForm(FlaskForm):
    """A decision that needs a reason (decline, reject)."""

    reason = text_field(_l("Reden"), 2000, required=True)


class MergeForm(FlaskForm):
    """Merge a new organisation into an existing one, chosen on purpose and then confirmed.

    No company is preselected: the list opens on a placeholder, so one click cannot merge
    into the first name of the alphabet. ``confirmed`` comes from the confirmation page.
    """

    into = SelectField(
        _l("Samenvoegen met"),
        [DataRequired(_l("Kies het bedrijf waarmee u wilt samenvoegen.")), InChoices()],
        validate_choice=False,
    )
    confirmed = HiddenField()

    def set_targets(self, targets) -> None:
        """The organisations it may merge into, after a placeholder."""
        self.into.choices = [
            SelectChoice("", _l("Kies een bedrijf…")),
            *(SelectChoice(str(t.id), f"{t.name} ({t.place or '-'})") for t in targets),
        ]

    @property
    def target_id(self) -> int:
        """The chosen organisation's id, once the form validated."""
        return int(self.into.data)


class AgreeDateForm(FlaskForm):
    """The date both sides agreed on; ``day.value`` holds it once valid."""

    day = DayField(_l("Afgesproken datum"), [DataRequired(_l("Vul een geldige datum in."))])


class CorrectionForm(FlaskForm):
    """Staff correct a ledger entry."""

    pupils = NumberField(_l("Aantal leerlingen"), low=0, high=100_000)
    hours = NumberField(
        _l("Uren van het bedrijf"), low=0, high=HOURS_MAX, decimals=2, message=HOURS_MESSAGE
    )
    materials = NumberField(
        _l("Materialen in euro"),
        low=0,
        high=MATERIALS_MAX_EUROS,
        decimals=2,
        message=MATERIALS_MESSAGE,
    )
    note = text_field(_l("Toelichting"), 500, required=True)
