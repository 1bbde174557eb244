"""The public company intake form: organisation, contact person and one or more contributions."""

from __future__ import annotations

import re
import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    StringField,
)
from wtforms.validators import DataRequired, ValidationError

from matching.geo import GeoError, Point, get_geocoder, normalise_postcode
from onderwijsplatform.forms.fields import (
    CheckboxesField,
    CodesField,
    DayField,
    NumberField,
    check_period,
    line_field,
    text_field,
)
from onderwijsplatform.forms.text import (
    OneEmail,
    Phone,
    Themes,
    clean_line,
    drop_controls,
    split_themes,
)
from onderwijsplatform.i18n import current_locale
from onderwijsplatform.services.contributions import ContributionData
from onderwijsplatform.services.intake import IntakeData

MAX_CONTRIBUTIONS = 5
EXAMPLE_ADDRESS = "naam@bedrijf.nl"
THEME_MAX = 100
THEMES_MAX = 10


def _line(label, max_length: int, *, required: bool = False, **kwargs):
    """One line of the public forms: control characters pasted along are dropped."""
    return line_field(label, max_length, required=required, lenient=True, **kwargs)


class ContributionFields:
    """The fields of one contribution (an Offer), shared by the intake and self-service."""

    kinds = CodesField(
        _l("Wat biedt u aan?"), [DataRequired(_l("Kies minstens één soort hulp."))], codes="kinds"
    )
    sectors = CodesField(_l("Bij welke profielen past het?"), codes="sectors")
    themes = _line(
        _l("Thema's (trefwoorden, gescheiden door komma's)"),
        1000,
        validators=[Themes(count=THEMES_MAX, length=THEME_MAX)],
    )
    target_groups = CodesField(
        _l("Voor wie?"),
        [DataRequired(_l("Kies minstens één doelgroep."))],
        codes="target_groups",
    )
    where = CodesField(_l("Waar?"), [DataRequired(_l("Kies minstens één plek."))], codes="where")
    travel_km = NumberField(_l("Hoe ver wilt u reizen (km)?"), low=0, high=500)
    capacity = NumberField(_l("Hoeveel leerlingen tegelijk?"), low=1, high=10000)
    yearly_limit = NumberField(_l("Hoe vaak per schooljaar?"), low=1, high=365)
    whole_year = BooleanField(_l("Het hele schooljaar beschikbaar"), default=True)
    from_1 = DayField(_l("Beschikbaar van"))
    to_1 = DayField(_l("tot en met"))
    from_2 = DayField(_l("En van"))
    to_2 = DayField(_l("tot en met"))
    description = text_field(_l("Beschrijving"), 4000, required=True, lenient=True)

    def validate_to_1(self, field) -> None:
        self._check_period(self.from_1, field, required=not self.whole_year.data)

    def validate_to_2(self, field) -> None:
        self._check_period(self.from_2, field, required=False)

    def _check_period(self, start, end, *, required: bool) -> None:
        if self.whole_year.data or start.errors or end.errors:
            return
        if required and start.value is None and end.value is None:
            raise ValidationError(
                _l("Geef een periode, of kies 'het hele schooljaar beschikbaar'.")
            )
        check_period(start, end)

    def contribution_data(self) -> ContributionData:
        """The validated values, as the service takes them."""
        periods = []
        if not self.whole_year.data:
            for start, end in ((self.from_1, self.to_1), (self.from_2, self.to_2)):
                if start.value and end.value:
                    periods.append({"from": start.value.isoformat(), "to": end.value.isoformat()})
        return ContributionData(
            kinds=list(self.kinds.data),
            sectors=list(self.sectors.data or []),
            themes=split_themes(self.themes.data),
            target_groups=list(self.target_groups.data),
            where=list(self.where.data),
            travel_km=self.travel_km.whole,
            capacity=self.capacity.whole,
            yearly_limit=self.yearly_limit.whole,
            available=periods,
            description=self.description.data or "",
        )


class ContributionForm(ContributionFields, Form):
    """One contribution inside the intake form (its CSRF is the outer form's)."""


def sign_started(at: float) -> str:
    """A signed 'form shown at' moment, so a post can prove it took a human's time."""
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="intake-started")
    return serializer.dumps(int(at))


def seconds_since_started(value: str | None, now: float | None = None) -> float | None:
    """Seconds since the signed moment, or None when it is missing or forged."""
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="intake-started")
    try:
        started = serializer.loads(value or "")
    except BadSignature:
        return None
    if not isinstance(started, int):
        return None
    return (now if now is not None else time.time()) - started


class IntakeForm(FlaskForm):
    """Organisation, contact person and contributions; nothing goes live before opt-in."""

    org_name = _line(_l("Naam van de organisatie"), 200, required=True)
    kvk_number = StringField(_l("KvK-nummer (optioneel)"), filters=[drop_controls, clean_line])
    website = _line(_l("Website (optioneel)"), 300)
    postcode = _line(_l("Postcode"), 10, required=True)
    place = _line(_l("Plaats"), 100, required=True)
    contact_name = _line(_l("Uw naam"), 200, required=True)
    contact_role = _line(_l("Uw functie (optioneel)"), 100)
    email = _line(
        _l("E-mailadres"), 320, required=True, validators=[OneEmail(example=EXAMPLE_ADDRESS)]
    )
    phone = _line(_l("Telefoonnummer (optioneel)"), 40, validators=[Phone()])
    # The view sets the choices: the regions open for intake, nearest first.
    regions = CheckboxesField(_l("In welke regio's wilt u helpen?"))
    contributions = FieldList(
        FormField(ContributionForm), min_entries=1, max_entries=MAX_CONTRIBUTIONS
    )
    started = HiddenField()
    # A honeypot: hidden from people, filled in by naive bots.
    homepage = StringField(_l("Laat dit veld leeg"))

    point: Point | None = None

    def validate_regions(self, field) -> None:
        # No choices at all (a fresh platform): the intake goes to the intake region.
        if field.choices and not field.data:
            raise ValidationError(_l("Kies minstens één regio."))

    def validate_kvk_number(self, field) -> None:
        value = re.sub(r"[\s.]", "", field.data or "")
        if value and not re.fullmatch(r"[0-9]{8}", value):
            raise ValidationError(_l("Een KvK-nummer heeft 8 cijfers."))
        field.data = value or None

    def validate_website(self, field) -> None:
        value = field.data or ""
        if not value:
            field.data = None
            return
        if re.match(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/|$)", value):
            value = "https://" + value  # "www.bedrijf.nl" is what people type
        if not re.fullmatch(r"https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d{1,5})?(/\S*)?", value):
            raise ValidationError(_l("Vul een webadres in dat begint met http:// of https://."))
        if len(value) > 300:
            raise ValidationError(_l("Gebruik hooguit %(max)d tekens.", max=300))
        field.data = value

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.point = None
        if self.postcode.errors or self.place.errors or not self.postcode.data:
            return valid
        english = current_locale() == "en"
        geocoder = get_geocoder()
        try:
            self.postcode.data = normalise_postcode(self.postcode.data)
            self.point = geocoder.postcode(self.postcode.data)
        except GeoError as exc:
            self.postcode.errors.append(exc.message_en if english else exc.message_nl)
            valid = False
        try:
            place_point = geocoder.place(self.place.data)
        except GeoError as exc:
            self.place.errors.append(exc.message_en if english else exc.message_nl)
            return False
        self.point = self.point or place_point
        return valid

    def intake_data(self, *, language: str, submission: str) -> IntakeData:
        """The validated values, as the service takes them."""
        point = self.point
        if point is None:  # validate() resolves it; calling this before is a bug
            raise RuntimeError("intake_data() before a successful validate()")
        return IntakeData(
            org_name=self.org_name.data,
            kvk_number=self.kvk_number.data,
            website=self.website.data,
            postcode=self.postcode.data,
            place=self.place.data,
            lat=point.lat,
            lon=point.lon,
            contact_name=self.contact_name.data,
            contact_role=self.contact_role.data or None,
            email=self.email.data,
            phone=self.phone.data,
            language=language,
            region_codes=list(self.regions.data or []),
            contributions=[entry.form.contribution_data() for entry in self.contributions],
            submission=submission,
        )
