"""The catalogue's filter form: read from the query string, so every filter is a shareable URL."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField

from onderwijsplatform.forms.fields import CodeField, NumberField, line_field


class CatalogueFilterForm(FlaskForm):
    """Kind, profile, target group, online, and a place or postcode with a distance."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    kind = CodeField(_l("Soort hulp"), codes="kinds", placeholder=_l("Alle soorten"))
    sector = CodeField(_l("Profiel"), codes="sectors", placeholder=_l("Alle profielen"))
    target_group = CodeField(
        _l("Doelgroep"), codes="target_groups", placeholder=_l("Alle doelgroepen")
    )
    online = BooleanField(_l("Alleen online"))
    near = line_field(_l("Postcode of plaats"), 100)
    within_km = NumberField(_l("Binnen (km)"), low=1, high=300)


class RegionSearchForm(FlaskForm):
    """The home page's question: which region is mine? A postcode or place answers it."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    near = line_field(_l("Uw postcode of plaats"), 100, required=True)
