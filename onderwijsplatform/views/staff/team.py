"""The region's team: a region admin invites staff and switches them off."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from onderwijsplatform.forms.regions import TeamInviteForm
from onderwijsplatform.identity.roles import region_admin_required
from onderwijsplatform.models import Role, utcnow
from onderwijsplatform.services import regions, team
from onderwijsplatform.services.errors import ValidationFailed
from onderwijsplatform.transaction import unit_of_work
from onderwijsplatform.views.staff.blueprint import bp


@bp.route("/regio/team", methods=["GET", "POST"], endpoint="team")
@region_admin_required
def team_page():
    region = regions.for_admin(current_user, request.args.get("regio"))
    form = TeamInviteForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                user = team.invite(
                    current_user,
                    region,
                    email=form.email.data,
                    name=form.name.data,
                    role=Role(form.role.data),
                    now=utcnow(),
                )
        except ValidationFailed:
            form.email.errors.append(_("Dit e-mailadres hoort al bij een ander account."))
        else:
            flash(_("Uitnodiging verstuurd naar %(email)s.", email=user.email), "success")
            return redirect(url_for("staff.team", regio=region.code))
    return render_template(
        "staff/team.html", region=region, form=form, members=team.members(current_user, region)
    ), (422 if form.errors else 200)


@bp.post("/regio/team/<id:user_id>/uitschakelen", endpoint="team_deactivate")
@region_admin_required
def deactivate(user_id: int):
    region = regions.for_admin(current_user, request.args.get("regio"))
    with unit_of_work():
        user = team.deactivate(current_user, region, user_id, utcnow())
    flash(_("%(name)s kan niet meer inloggen.", name=user.name), "success")
    return redirect(url_for("staff.team", regio=region.code))
