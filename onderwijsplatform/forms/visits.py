"""Visit booking forms: a class's booking, changes and cancellation, programmes and slots."""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, ValidationError

from matching.vocabulary import TARGET_GROUP_CODES
from onderwijsplatform.forms.fields import (
    CodeField,
    CodesField,
    DayField,
    InChoices,
    NumberField,
    code_choices,
    line_field,
    parse_day,
    text_field,
)
from onderwijsplatform.forms.text import REQUIRED, Phone, Themes, clean_line, split_themes
from onderwijsplatform.models import Confirmation, ProgrammeStatus

PUPILS_MAX = 500
ESCORTS_MAX = 100


class BookingForm(FlaskForm):
    """A coordinator books one class into one slot; slot and group choices come from the page."""

    slot_id = RadioField(_l("Tijdslot"), validate_choice=False, coerce=str)
    target_group = SelectField(_l("Doelgroep"), validate_choice=False)
    pupils = NumberField(_l("Aantal leerlingen"), [DataRequired(REQUIRED)], low=1, high=PUPILS_MAX)
    escorts = NumberField(
        _l("Aantal begeleiders"), [DataRequired(REQUIRED)], low=0, high=ESCORTS_MAX
    )
    contact_name = line_field(_l("Contactpersoon op de dag"), 200)
    contact_phone = line_field(_l("Telefoon op de dag"), 20, validators=[Phone()])
    note = text_field(_l("Opmerking voor de gastheer"), 2000)

    def validate_slot_id(self, field: RadioField) -> None:
        if not field.data:
            raise ValidationError(_l("Kies een tijdslot."))
        InChoices()(self, field)

    def validate_target_group(self, field: SelectField) -> None:
        if not field.data:
            raise ValidationError(_l("Kies de doelgroep."))
        InChoices()(self, field)


class ChangeForm(FlaskForm):
    """The school changes the numbers of its booking."""

    pupils = NumberField(_l("Aantal leerlingen"), [DataRequired(REQUIRED)], low=1, high=PUPILS_MAX)
    escorts = NumberField(
        _l("Aantal begeleiders"), [DataRequired(REQUIRED)], low=0, high=ESCORTS_MAX
    )


class ReasonForm(FlaskForm):
    """Cancel or decline a booking, with the reason the other side reads."""

    reason = text_field(_l("Reden"), 2000, required=_l("Geef een reden op."))


class RecordForm(FlaskForm):
    """After the visit: did it take place, how many pupils came, the host's hours."""

    took_place = RadioField(
        _l("Heeft het bezoek plaatsgevonden?"),
        choices=[
            SelectChoice("ja", _l("Ja")),
            SelectChoice("nee", _l("Nee, de klas is niet gekomen")),
        ],
        validators=[DataRequired(_l("Kies ja of nee."))],
    )
    pupils_reached = NumberField(_l("Aantal leerlingen dat er was"), low=0, high=PUPILS_MAX)
    host_hours = NumberField(
        _l("Uren van de gastheer"), low=0, high=200, decimals=2, render_kw={"inputmode": "decimal"}
    )


_CLOCK = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])")


class ClockField(StringField):
    """A time of day (<input type="time">, or typed as 9:30 or 9.30); ``.value`` once valid."""

    data: str | None

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs["render_kw"] = {"type": "time", **kwargs.get("render_kw", {})}
        super().__init__(label, validators, filters=[clean_line], **kwargs)
        self.value: time | None = None

    def pre_validate(self, form) -> None:
        self.value = None
        if not self.data:
            return
        match = _CLOCK.fullmatch(self.data)
        if not match:
            raise ValidationError(_l("Vul een tijd in als 09:30."))
        self.value = time(int(match.group(1)), int(match.group(2)))
        self.data = self.value.strftime("%H:%M")


class SlotPlanForm(FlaskForm):
    """One slot (only a first day) or a weekly series on chosen weekdays."""

    first = DayField(_l("Eerste dag"), [DataRequired(REQUIRED)])
    last = DayField(_l("Laatste dag (bij herhalen)"))
    weekdays = CodesField(_l("Elke week op"), codes="school_weekday")
    start = ClockField(_l("Begintijd"), [DataRequired(REQUIRED)])
    end = ClockField(_l("Eindtijd"), [DataRequired(REQUIRED)])
    capacity_pupils = NumberField(_l("Plaatsen voor leerlingen"), low=1, high=2000)
    capacity_groups = NumberField(_l("Groepen tegelijk"), low=1, high=50)

    def validate_last(self, field: DayField) -> None:
        if field.value and self.first.value and field.value < self.first.value:
            raise ValidationError(_l("De laatste dag ligt vóór de eerste."))

    def validate_weekdays(self, field: CodesField) -> None:
        if self.last.value and not field.data:
            raise ValidationError(_l("Kies op welke dagen het tijdslot terugkomt."))

    def days(self) -> tuple[date, date, list[int]]:
        """The plan as (first, last, weekdays); one day when no last day is given."""
        first = self.first.value or self.last.value or date.min  # first is required
        if not self.last.value:
            return first, first, [first.weekday()]
        return first, self.last.value, [int(d) for d in self.weekdays.data]


ESCORT_CODES = sorted(TARGET_GROUP_CODES)  # one "pupils per escort" field for each


def _escort_field() -> NumberField:
    return NumberField(_l("Leerlingen per begeleider"), low=1, high=100)


def parse_closed(text: str | None) -> list[dict[str, str]]:
    """Closed days, one a line: a date, or two dates separated by "t/m" or "-" (a period)."""
    periods = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        parts = re.split(r"\s+(?:t/m|tot en met|-|–)\s+", line)
        first = parse_day(parts[0])
        last = parse_day(parts[-1])
        if first is None or last is None or len(parts) > 2 or last < first:
            raise ValueError(line)
        periods.append({"from": first.isoformat(), "to": last.isoformat()})
    return periods


class ProgrammeForm(FlaskForm):
    """What a host offers classes: content, place, group rules, deadlines, confirmation."""

    host_id = SelectField(_l("Gastheer"), validate_choice=False)
    status = CodeField(_l("Status"), codes="programme_status")
    title = line_field(_l("Titel"), 200, required=True)
    description = text_field(_l("Beschrijving"), 5000)
    kinds = CodesField(_l("Soort activiteit"), codes="kinds")
    sectors = CodesField(_l("Profielen"), codes="sectors")
    themes = line_field(_l("Thema's"), 500, validators=[Themes(count=10, length=60)])
    target_groups = CodesField(
        _l("Doelgroepen"), [DataRequired(_l("Kies minstens één doelgroep."))], codes="target_groups"
    )
    address = line_field(_l("Adres"), 300)
    postcode = line_field(_l("Postcode"), 7)
    place = line_field(_l("Plaats"), 100, required=True)
    accessibility = text_field(_l("Toegankelijkheid"), 2000)
    transport = text_field(_l("Vervoer"), 2000)
    min_pupils = NumberField(_l("Minimaal aantal leerlingen per groep"), low=1, high=PUPILS_MAX)
    max_pupils = NumberField(
        _l("Maximaal aantal leerlingen per groep"), [DataRequired(REQUIRED)], low=1, high=PUPILS_MAX
    )
    groups_at_once = NumberField(_l("Groepen tegelijk"), [DataRequired(REQUIRED)], low=1, high=50)
    change_days = NumberField(_l("Aantallen wijzigen tot (schooldagen vooraf)"), low=0, high=60)
    cancel_days = NumberField(_l("Kosteloos annuleren tot (schooldagen vooraf)"), low=0, high=60)
    confirmation = CodeField(_l("Bevestiging"), codes="visit_confirmation")
    staff_hours = NumberField(_l("Uren van de gastheer per bezoek"), low=0, high=200, decimals=2)
    closed = text_field(_l("Gesloten dagen van de gastheer"), 2000)

    def validate_host_id(self, field: SelectField) -> None:
        if not field.data:
            raise ValidationError(_l("Kies de gastheer."))
        InChoices()(self, field)

    def validate_closed(self, field) -> None:
        try:
            parse_closed(field.data)
        except ValueError as error:
            raise ValidationError(
                _l("Schrijf één datum of periode per regel, zoals 5-4-2027 t/m 9-4-2027.")
            ) from error

    def values(self) -> dict[str, Any]:
        """The programme's values as the service takes them."""
        ratios = {}
        for code in TARGET_GROUP_CODES:
            value = getattr(self, f"escort_{code}").whole
            if value and code in self.target_groups.data:
                ratios[code] = value
        return {
            "status": ProgrammeStatus(self.status.data or "draft"),
            "title": self.title.data,
            "description": self.description.data or "",
            "kinds": list(self.kinds.data),
            "sectors": list(self.sectors.data),
            "themes": split_themes(self.themes.data),
            "target_groups": list(self.target_groups.data),
            "address": self.address.data or None,
            "postcode": self.postcode.data or None,
            "place": self.place.data,
            "accessibility": self.accessibility.data or None,
            "transport": self.transport.data or None,
            "min_pupils": self.min_pupils.whole or 1,
            "max_pupils": self.max_pupils.whole,
            "groups_at_once": self.groups_at_once.whole,
            "pupils_per_escort": ratios,
            "change_days": self.change_days.whole or 0,
            "cancel_days": self.cancel_days.whole or 0,
            "confirmation": Confirmation(self.confirmation.data or "by_host"),
            "staff_hours": self.staff_hours.value or Decimal(0),
            "closed": parse_closed(self.closed.data),
        }


for _code in ESCORT_CODES:
    setattr(ProgrammeForm, f"escort_{_code}", _escort_field())


def target_group_choices(codes: list[str]):
    """The target groups a programme takes, with their labels."""
    return [c for c in code_choices("target_groups") if c.value in codes]


# What a refused booking, change or plan says, next to its field (codes of the services).
_REFUSALS = {
    "unknown": _l("Dit tijdslot bestaat niet in uw regio. Kies een tijdslot uit de lijst."),
    "not_open": _l("Dit programma neemt op dit moment geen boekingen aan."),
    "past": _l("Dit tijdslot is al voorbij. Kies een later tijdslot."),
    "holiday": _l("Dit tijdslot valt in een schoolvakantie van de regio."),
    "closed": _l("De gastheer is op deze dag gesloten."),
    "weekend": _l("Dit valt in het weekend."),
    "exists": _l("Op dit moment is er al een tijdslot."),
    "no_days": _l("In deze periode valt geen enkele geschikte dag."),
    "too_long": _l("Plan hoogstens een jaar vooruit."),
    "end_not_after_start": _l("De eindtijd ligt niet na de begintijd."),
    "full": _l("Dit tijdslot is vol. Kies een ander tijdslot."),
    "not_a_school": _l("Alleen een schoolcoördinator kan een bezoek boeken."),
    "target_group": _l("Dit programma is niet voor deze doelgroep."),
    "too_few": _l("Dit programma vraagt minstens %(min)s leerlingen per groep."),
    "too_many": _l("Dit programma neemt hoogstens %(max)s leerlingen per groep."),
    "no_room": _l("Er zijn in dit tijdslot nog %(free)s plaatsen vrij."),
    "escorts": _l("Voor deze groep zijn minstens %(needed)s begeleiders nodig."),
    "deadline": _l(
        "Dat kan tot %(days)s schooldagen voor het bezoek. Neem contact op met het regioteam."
    ),
    "started": _l("Het bezoek is al begonnen of voorbij."),
    "not_yet": _l("Het bezoek heeft nog niet plaatsgevonden."),
    "below_min": _l("Het maximum ligt onder het minimum."),
    "not_a_target_group": _l("Geef alleen begeleiders op voor de gekozen doelgroepen."),
}


def refusal(code: str, params: dict[str, int] | None = None) -> str:
    """The message of a service's refusal code, in the page's language."""
    text = _REFUSALS.get(code)
    if text is None:
        return str(_l("Dit kan niet. Controleer de gegevens."))
    return str(text) % (params or {}) if params else str(text)
