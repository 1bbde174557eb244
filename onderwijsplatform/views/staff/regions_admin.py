"""Every region on one page for the platform admin, who adds new ones there."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from onderwijsplatform.forms.regions import NewRegionForm
from onderwijsplatform.identity.roles import admin_required
from onderwijsplatform.models import utcnow
from onderwijsplatform.services import regions
from onderwijsplatform.services.errors import ValidationFailed
from onderwijsplatform.transaction import unit_of_work
from onderwijsplatform.views.staff.blueprint import bp

MESSAGES = {
    "code": _l(
        "Gebruik 1 tot 40 kleine letters, cijfers en streepjes, en een code die nog vrij is."
    ),
    "name": _l("Vul een naam in van hooguit 200 tekens."),
}


@bp.route("/regios", methods=["GET", "POST"], endpoint="regions")
@admin_required
def regions_page():
    form = NewRegionForm()
    status = 200
    if form.validate_on_submit():
        try:
            with unit_of_work():
                region = regions.add(current_user, form.code.data, form.name.data, utcnow())
        except ValidationFailed as error:
            form[error.field].errors.append(str(MESSAGES[error.field]))
        else:
            flash(_("Regio %(name)s is toegevoegd.", name=region.name), "success")
            return redirect(url_for("staff.region", regio=region.code))
    if form.errors:
        status = 422
    return render_template("staff/regions.html", form=form, figures=regions.listing()), status
