"""The school profile form: the school, the coordinator's details and email preferences."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired, ValidationError

from onderwijsplatform.forms.fields import CodeField, CodesField, line_field
from onderwijsplatform.forms.text import Phone

# BRIN: two digits and two letters, optionally a two-digit branch number ("12AB", "12AB01").
_BRIN = re.compile(r"[0-9]{2}[A-Z]{2}([0-9]{2})?")


def _upper(value):
    return value.upper().replace(" ", "") if isinstance(value, str) else value


class SchoolProfileForm(FlaskForm):
    name = line_field(_l("Naam van de school"), 200, required=_l("Vul de naam van de school in."))
    brin_code = line_field(
        _l("BRIN-code"), 6, filters=[_upper], description=_l("Bijvoorbeeld 12AB of 12AB01.")
    )
    school_type = CodeField(
        _l("Soort school"),
        [DataRequired(_l("Kies de soort school."))],
        codes="school_type",
    )
    postcode = line_field(_l("Postcode"), 7)
    place = line_field(_l("Plaats"), 100)
    sectors = CodesField(_l("Profielen die de school geeft"), codes="sectors")
    contact_name = line_field(_l("Uw naam"), 200, required=_l("Vul uw naam in."))
    phone = line_field(_l("Telefoon"), 40, validators=[Phone()])
    digest_enabled = BooleanField(_l("Stuur mij hooguit één e-mail per dag met nieuwe suggesties"))
    language = CodeField(_l("Taal van e-mails"), codes="language")

    def validate_brin_code(self, field) -> None:
        if field.data and not _BRIN.fullmatch(field.data):
            raise ValidationError(_l("Een BRIN-code is 2 cijfers en 2 letters, zoals 12AB."))

    def validate_place(self, field) -> None:
        if not field.data and not self.postcode.data:
            raise ValidationError(_l("Vul een postcode of een plaats in."))

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "brin_code": self.brin_code.data or None,
            "school_type": self.school_type.data,
            "postcode": self.postcode.data or None,
            "place": self.place.data or None,
            "sectors": list(self.sectors.data or []),
            "contact_name": self.contact_name.data,
            "phone": self.phone.data or None,
            "digest_enabled": bool(self.digest_enabled.data),
            "language": self.language.data or "nl",
        }
