"""Lending forms: an item with its components and rules, a reservation, and the desk's steps."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField
from wtforms.validators import DataRequired, ValidationError

from onderwijsplatform.forms.fields import (
    CheckboxesField,
    CodeField,
    CodesField,
    DayField,
    InChoices,
    NumberField,
    code_choices,
    line_field,
    text_field,
)
from onderwijsplatform.forms.text import REQUIRED, Themes, split_themes
from onderwijsplatform.models import Handover, LendingApproval

COMPONENTS_MAX = 60
COUNT_MAX = 999
# One component a line: "4 krokodillenklemmen" or "4 x krokodillenklemmen".
_COMPONENT = re.compile(r"(-?[0-9]{1,6})\s*[x×]?\s+(\S.{0,199})", re.IGNORECASE)


def parse_components(text: str | None) -> list[tuple[str, int]]:
    """Lines of "count name" as (name, count); ValueError naming the first bad line."""
    found: dict[str, tuple[str, int]] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = " ".join(line.split())
        if not line:
            continue
        match = _COMPONENT.fullmatch(line)
        if not match or not 1 <= int(match.group(1)) <= COUNT_MAX:
            raise ValueError(number)
        name = match.group(2).strip()
        if name.casefold() in found:
            raise ValueError(number)
        found[name.casefold()] = (name, int(match.group(1)))
    if len(found) > COMPONENTS_MAX:
        raise ValueError(COMPONENTS_MAX + 1)
    return list(found.values())


def components_text(components: Any) -> str:
    return "\n".join(f"{c.count} {c.name}" for c in components)


class Components:
    """Each line a count of 1-999 and a name, each name once."""

    def __call__(self, form, field) -> None:
        try:
            parse_components(field.data)
        except ValueError as error:
            raise ValidationError(
                _l(
                    "Regel %(line)s: vul per regel een aantal van 1 tot en met 999 en een "
                    "naam in, zoals '4 krokodillenklemmen', en elke naam één keer.",
                    line=error.args[0],
                )
            ) from None


def _days(label, low: int, high: int, **kwargs) -> NumberField:
    return NumberField(label, [DataRequired(REQUIRED)], low=low, high=high, **kwargs)


class ItemForm(FlaskForm):
    """A lendable item: what it is, how many sets, its components and its lending rules."""

    title = line_field(_l("Naam"), 200, required=True)
    description = text_field(_l("Omschrijving"), 5000, render_kw={"rows": 4})
    kinds = CodesField(_l("Soort hulp"), codes="kinds")
    sectors = CodesField(_l("Profielen"), codes="sectors")
    target_groups = CodesField(_l("Doelgroepen"), codes="target_groups")
    themes = line_field(_l("Thema's"), 500, validators=[Themes(count=10, length=60)])
    owner = SelectField(_l("Eigenaar"), validate_choice=False, validators=[InChoices()])
    quantity = _days(_l("Aantal sets"), 0, 9999)
    value = NumberField(_l("Waarde per set (euro)"), low=0, high=1_000_000, decimals=2)
    components = text_field(
        _l("Onderdelen per set"), 4000, validators=[Components()], render_kw={"rows": 6}
    )
    loan_days = _days(_l("Gewone uitleenduur (dagen)"), 1, 365)
    max_loan_days = _days(_l("Langste uitleenduur (dagen)"), 1, 365)
    lead_days = _days(_l("Minimaal vooruit reserveren (openingsdagen)"), 0, 60)
    buffer_before = _days(_l("Klaarzetten vóór de uitleen (openingsdagen)"), 0, 30)
    buffer_after = _days(_l("Nakijken na terugkomst (openingsdagen)"), 0, 30)
    exchange_weekday = CodeField(_l("Vaste wisseldag"), codes="weekday", placeholder=_l("Geen"))
    max_sets_per_school = _days(_l("Hoogstens per school tegelijk (sets)"), 1, 999)
    approval = CodeField(_l("Goedkeuring"), [DataRequired(REQUIRED)], codes="lending_approval")
    active = BooleanField(_l("Scholen kunnen het reserveren"), default=True)

    def set_owners(self, organisations) -> None:
        self.owner.choices = [
            SelectChoice("", _l("De regio zelf")),
            *(SelectChoice(str(o.id), o.name) for o in organisations),
        ]

    def validate_max_loan_days(self, field) -> None:
        shortest = self.loan_days.whole
        if not field.errors and shortest and field.whole and field.whole < shortest:
            raise ValidationError(_l("De langste uitleenduur is korter dan de gewone."))

    def component_list(self) -> list[tuple[str, int]]:
        return parse_components(self.components.data)

    def values(self) -> dict[str, Any]:
        """The cleaned values, ready for services.lending."""
        value = self.value.value or Decimal(0)
        return {
            "title": self.title.data,
            "description": self.description.data or "",
            "kinds": list(self.kinds.data or []),
            "sectors": list(self.sectors.data or []),
            "target_groups": list(self.target_groups.data or []),
            "themes": split_themes(self.themes.data),
            "owner_id": int(self.owner.data) if self.owner.data else None,
            "quantity": self.quantity.whole,
            "value_cents": int(value * 100),
            "loan_days": self.loan_days.whole,
            "max_loan_days": self.max_loan_days.whole,
            "lead_days": self.lead_days.whole,
            "buffer_before": self.buffer_before.whole,
            "buffer_after": self.buffer_after.whole,
            "exchange_weekday": (
                int(self.exchange_weekday.data) if self.exchange_weekday.data else None
            ),
            "max_sets_per_school": self.max_sets_per_school.whole,
            "approval": LendingApproval(self.approval.data),
            "active": bool(self.active.data),
        }


class DeskForm(FlaskForm):
    """The region's lending desk: the weekdays it is closed and the defaults of new items."""

    closed_weekdays = CheckboxesField(_l("Dicht op"))
    loan_days = _days(_l("Gewone uitleenduur (dagen)"), 1, 365)
    max_loan_days = _days(_l("Langste uitleenduur (dagen)"), 1, 365)
    lead_days = _days(_l("Minimaal vooruit reserveren (openingsdagen)"), 0, 60)
    buffer_before = _days(_l("Klaarzetten vóór de uitleen (openingsdagen)"), 0, 30)
    buffer_after = _days(_l("Nakijken na terugkomst (openingsdagen)"), 0, 30)
    max_sets_per_school = _days(_l("Hoogstens per school tegelijk (sets)"), 1, 999)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.closed_weekdays.choices = code_choices("weekday")

    def validate_closed_weekdays(self, field) -> None:
        if len(field.data or []) == 7:
            raise ValidationError(_l("De balie moet op minstens één dag open zijn."))

    def validate_max_loan_days(self, field) -> None:
        shortest = self.loan_days.whole
        if not field.errors and shortest and field.whole and field.whole < shortest:
            raise ValidationError(_l("De langste uitleenduur is korter dan de gewone."))

    def values(self) -> dict[str, Any]:
        return {
            "closed_weekdays": sorted(int(day) for day in self.closed_weekdays.data or []),
            **{
                name: self[name].whole
                for name in (
                    "loan_days",
                    "max_loan_days",
                    "lead_days",
                    "buffer_before",
                    "buffer_after",
                    "max_sets_per_school",
                )
            },
        }


class ReserveForm(FlaskForm):
    """A coordinator's reservation: how many sets, from when to when, pick-up or delivery."""

    sets = NumberField(_l("Aantal sets"), [DataRequired(REQUIRED)], low=1, high=999)
    starts_on = DayField(_l("Ophalen of bezorgen op"), [DataRequired(REQUIRED)])
    ends_on = DayField(_l("Terugbrengen op"), [DataRequired(REQUIRED)])
    handover = SelectField(
        _l("Hoe"), validate_choice=False, validators=[DataRequired(REQUIRED), InChoices()]
    )
    note = text_field(_l("Opmerking"), 2000, render_kw={"rows": 3})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.handover.choices = code_choices("handover")
        if not self.handover.data:
            self.handover.data = Handover.PICKUP.value

    def validate_ends_on(self, field) -> None:
        start, end = self.starts_on.value, field.value
        if start and end and end < start:
            raise ValidationError(_l("De terugbrengdatum ligt vóór de ophaaldatum."))


class DeclineForm(FlaskForm):
    """Why a reservation is declined; the coordinator reads it."""

    reason = text_field(
        _l("Reden voor de school"), 2000, required=_l("Geef een reden op."), render_kw={"rows": 3}
    )


class ActionForm(FlaskForm):
    """A button that changes state (approve, settle, lost, cancel): only the CSRF token."""


class CheckOutForm(FlaskForm):
    """The component checklist at pick-up; built per loan (``component-<id>`` checkboxes)."""


class CheckInForm(FlaskForm):
    """Complete sets back, and per component how many are missing or damaged."""

    sets_back = NumberField(_l("Complete sets terug"), [DataRequired(REQUIRED)], low=0, high=999)


def with_components(form_class: type[FlaskForm], components, *, check_in: bool) -> FlaskForm:
    """A subclass of ``form_class`` with a field per component, then an instance of it."""

    class Built(form_class):
        pass

    for component in components:
        if check_in:
            setattr(
                Built,
                f"missing_{component.id}",
                NumberField(_l("Kwijt"), low=0, high=99999, default="0"),
            )
            setattr(
                Built,
                f"damaged_{component.id}",
                NumberField(_l("Kapot"), low=0, high=99999, default="0"),
            )
        else:
            setattr(Built, f"component_{component.id}", BooleanField(component.name))
    return Built()
