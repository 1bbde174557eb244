"""The region's settings and school holidays, kept by its region admin."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from onderwijsplatform.formatting import cents_for_input
from onderwijsplatform.forms.regions import HolidayForm, RegionSettingsForm
from onderwijsplatform.identity.roles import region_admin_required
from onderwijsplatform.models import HolidayZone, Region, utcnow
from onderwijsplatform.services import regions
from onderwijsplatform.services.errors import ValidationFailed
from onderwijsplatform.transaction import unit_of_work
from onderwijsplatform.views.staff.blueprint import bp


def _settings_form(region: Region, *, posted: bool) -> RegionSettingsForm:
    if posted:
        return RegionSettingsForm()
    return RegionSettingsForm(
        data={
            "name": region.name,
            "contact_name": region.contact_name or "",
            "contact_email": region.contact_email or "",
            "contact_phone": region.contact_phone or "",
            "hour_rate": cents_for_input(region.hour_rate_cents),
            "holiday_zone": region.holiday_zone.value if region.holiday_zone else "",
            "intake_open": region.intake_open,
            "introduction": region.introduction or "",
        }
    )


def _values(form: RegionSettingsForm) -> dict[str, object]:
    rate = form.hour_rate.value or Decimal(0)
    return {
        "name": form.name.data,
        "contact_name": form.contact_name.data or None,
        "contact_email": form.contact_email.data or None,
        "contact_phone": form.contact_phone.data or None,
        "hour_rate_cents": int(rate * 100),
        "holiday_zone": HolidayZone(form.holiday_zone.data) if form.holiday_zone.data else None,
        "intake_open": bool(form.intake_open.data),
        "introduction": form.introduction.data or None,
    }


def _page(region: Region, form: RegionSettingsForm, holiday: HolidayForm, status: int = 200):
    return render_template(
        "staff/region.html",
        region=region,
        form=form,
        holiday=holiday,
        regions=regions.choices_for(current_user),
    ), status


@bp.route("/regio", methods=["GET", "POST"], endpoint="region")
@region_admin_required
def region_settings():
    region = regions.for_admin(current_user, request.args.get("regio"))
    form = _settings_form(region, posted=request.method == "POST")
    if form.validate_on_submit():
        with unit_of_work():
            regions.update_settings(current_user, region, _values(form), utcnow())
        flash(_("De instellingen van de regio zijn opgeslagen."), "success")
        return redirect(url_for("staff.region", regio=region.code))
    return _page(
        region, form, HolidayForm(formdata=None, prefix="holiday"), 422 if form.errors else 200
    )


@bp.post("/regio/vakanties", endpoint="region_holiday_add")
@region_admin_required
def add_holiday():
    region = regions.for_admin(current_user, request.args.get("regio"))
    holiday = HolidayForm(prefix="holiday")
    if holiday.validate_on_submit() and holiday.starts_on.value and holiday.ends_on.value:
        try:
            with unit_of_work():
                regions.add_holiday(
                    current_user,
                    region,
                    holiday.name.data,
                    holiday.starts_on.value,
                    holiday.ends_on.value,
                    utcnow(),
                )
        except ValidationFailed:
            holiday.name.errors.append(_("Deze vakantie staat er al in."))
        else:
            flash(_("De vakantie is toegevoegd."), "success")
            return redirect(url_for("staff.region", regio=region.code))
    return _page(region, _settings_form(region, posted=False), holiday, 422)


@bp.post("/regio/vakanties/<id:holiday_id>/verwijderen", endpoint="region_holiday_remove")
@region_admin_required
def remove_holiday(holiday_id: int):
    region = regions.for_admin(current_user, request.args.get("regio"))
    with unit_of_work():
        regions.remove_holiday(current_user, region, holiday_id, utcnow())
    flash(_("De vakantie is verwijderd."), "success")
    return redirect(url_for("staff.region", regio=region.code))
